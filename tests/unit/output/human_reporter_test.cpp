#include "output/human_reporter.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>
#include <regex>
#include <string>

using namespace smo;

namespace {

std::string output_of(HumanReporter::Style style, const std::function<void(HumanReporter&)>& act) {
    std::FILE* file = std::tmpfile();
    HumanReporter reporter(file, style);
    act(reporter);
    std::rewind(file);
    std::string text;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, file) != nullptr) {
        text += buffer;
    }
    std::fclose(file);
    return text;
}

} // namespace

TEST_CASE("human output: -v puts a UTC timestamp before each detail and stage line", "[output]") {
    HumanReporter::Style verbose;
    verbose.verbose = true;
    const std::string text = output_of(verbose, [](HumanReporter& reporter) {
        reporter.info("$ git -C /opt/apps/eo-mena rev-parse HEAD");
        reporter.stage_finished({3, "ssh-connect", StageStatus::ok, 0.42, "locked"});
    });
    const std::regex stamped(
        R"(\d\d:\d\d:\d\d\.\d{3}       \$ git -C /opt/apps/eo-mena rev-parse HEAD
\d\d:\d\d:\d\d\.\d{3} \[3/12\] ssh-connect .*
)");
    CHECK(std::regex_match(text, stamped));
    const std::string quiet = output_of({}, [](HumanReporter& reporter) {
        reporter.info("$ hidden");
        reporter.stage_finished({3, "ssh-connect", StageStatus::ok, 0.42, "locked"});
    });
    CHECK(quiet.rfind("[3/12] ssh-connect", 0) == 0);
}
