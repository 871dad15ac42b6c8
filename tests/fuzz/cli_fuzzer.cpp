// The command line (docs/usage.md) comes from people and wrappers: any bytes,
// not only UTF-8. Each line of the input is one argument. Promises: no
// exception and no abort; help and version exit 0, a usage error exits 2, and
// otherwise the options parsed are consistent (the exclusive pairs never both
// set).
#include "fuzz/fuzz_support.hpp"
#include "smo/options.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace {

std::vector<std::string> arguments_of(std::string_view text) {
    std::vector<std::string> arguments{"smo-rollback"};
    while (!text.empty() && arguments.size() < 24) {
        const auto [line, rest] = smo::fuzz::split_first_line(text);
        arguments.emplace_back(line);
        text = rest;
    }
    return arguments;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Help and JSON result lines are not what is checked here.
    static std::FILE* const s_quiet = std::freopen("/dev/null", "w", stdout);
    (void)s_quiet;
    const std::vector<std::string> arguments = arguments_of(smo::fuzz::as_text(data, size));
    std::vector<const char*> argv;
    for (const std::string& argument : arguments) {
        argv.push_back(argument.c_str());
    }
    argv.push_back(nullptr);
    smo::fuzz::never_throws([&] {
        const smo::CommandLine parsed =
            smo::parse_command_line(static_cast<int>(arguments.size()), argv.data());
        if (parsed.exit_now) {
            SMO_FUZZ_CHECK(*parsed.exit_now == 0 || *parsed.exit_now == 2);
            return;
        }
        const smo::Options& options = parsed.options;
        SMO_FUZZ_CHECK(!(options.plan && options.dry_run));
        SMO_FUZZ_CHECK(!(options.verbose && options.quiet));
        SMO_FUZZ_CHECK(!options.notify || options.dry_run);
    });
    return 0;
}
