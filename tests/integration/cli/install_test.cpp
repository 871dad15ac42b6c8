// `cmake --install` puts the man page and the bash completion where man and
// bash-completion look, and the completion knows every flag --help lists, the
// subcommands and the environments of the nearest project.json.
#include "../../support/temp_dir.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

using namespace smo::integration;
using smo::test::TempDir;

namespace {

ProcessResult install_into(const std::filesystem::path& prefix) {
    ProcessSpec spec;
    spec.argv = {"cmake", "--install", std::filesystem::path(SMO_BINARY).parent_path().string(),
                 "--prefix", prefix.string()};
    spec.timeout = std::chrono::seconds(120);
    return run_process(spec);
}

// Completions bash offers for the words of `line` (the last one being completed).
std::string complete(const std::filesystem::path& script, const std::filesystem::path& cwd,
                     const std::string& line) {
    ProcessSpec spec;
    spec.argv = {"bash", "-c",
                 R"(source "$0"; COMP_WORDS=($1); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); )"
                 R"([[ $1 == *' ' ]] && { COMP_WORDS+=(''); COMP_CWORD=$(( COMP_CWORD + 1 )); }; )"
                 R"(_smo_rollback; printf '%s\n' "${COMPREPLY[@]}")",
                 script.string(), line};
    spec.cwd = cwd.string();
    const ProcessResult result = run_process(spec);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

} // namespace

TEST_CASE("install: man page and bash completion land in share/", "[cli][integration]") {
    TempDir prefix;
    const ProcessResult installed = install_into(prefix.path());
    INFO(installed.out + installed.err);
    REQUIRE(installed.exit_code == 0);
    CHECK(std::filesystem::exists(prefix.path() / "bin" / "smo-rollback"));
    const auto man = prefix.path() / "share" / "man" / "man1" / "smo-rollback.1";
    REQUIRE(std::filesystem::exists(man));
    const auto completion =
        prefix.path() / "share" / "bash-completion" / "completions" / "smo-rollback";
    REQUIRE(std::filesystem::exists(completion));

    ProcessSpec render;
    render.argv = {"man", "-l", man.string()};
    render.set_env = {{"MANPAGER", "cat"}, {"MANWIDTH", "100"}};
    const ProcessResult page = run_process(render);
    CHECK(page.exit_code == 0);

    ProcessSpec help;
    help.argv = {SMO_BINARY, "--help"};
    const ProcessResult flags = run_process(help);
    const std::string offered = complete(completion, prefix.path(), "smo-rollback -");
    const std::regex flag(R"((^|[ ,])(--?[a-z][a-z-]*))");
    for (std::sregex_iterator it(flags.out.begin(), flags.out.end(), flag), end; it != end; ++it) {
        const std::string name = (*it)[2];
        INFO(name);
        CHECK(offered.find(name + "\n") != std::string::npos);
        CHECK(page.out.find(name) != std::string::npos);
    }
    for (const char* sub : {"status", "list", "prepare"}) {
        CHECK(complete(completion, prefix.path(), "smo-rollback ").find(std::string(sub) + "\n") !=
              std::string::npos);
    }

    TempDir app;
    app.write(".smorch/project.json",
              R"({"project": "x", "deploy": {"rollback_sla_seconds": 60,
                  "production": {"path": "/a"}, "staging-eu": {"path": "/b"}}})");
    std::filesystem::create_directories(app.path() / "src");
    const std::string envs = complete(completion, app.path() / "src", "smo-rollback --env ");
    CHECK(envs == "production\nstaging-eu\n");
}
