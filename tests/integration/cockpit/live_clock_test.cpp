// The terminal display (docs/usage.md): on a real pseudo-terminal the
// elapsed / SLA clock moves while a stage runs, and health polls show as they
// come.
#include "support/faults.hpp"
#include "support/process.hpp"
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <string>

using namespace smo::integration;

namespace {

// The seconds of every redraw of stage `n`'s live line ("\r\033[K[6/12] build …  3s / 90s").
std::vector<int> redraw_seconds(const std::string& screen, int n, const std::string& name) {
    const std::regex redraw("\r\033\\[K\\[" + std::to_string(n) + "/12\\] " + name +
                            " …  (\\d+)s / 90s");
    std::vector<int> seconds;
    for (auto it = std::sregex_iterator(screen.begin(), screen.end(), redraw);
         it != std::sregex_iterator(); ++it) {
        seconds.push_back(std::stoi((*it)[1].str()));
    }
    return seconds;
}

} // namespace

TEST_CASE("on a terminal the clock moves while a slow build runs, and polls show",
          "[cockpit][integration]") {
    Sandbox sandbox({"--bad", "500"});
    set_rollback_command(sandbox, "build", "sleep 4 && npm run build");
    const ProcessResult run = run_in_terminal(sandbox.binary_spec({}));
    INFO(run.out);
    REQUIRE(run.exit_code == 0);
    // Stage 6 took over 4 s: redrawn at least once a second, the clock rising.
    const std::vector<int> seconds = redraw_seconds(run.out, 6, "build");
    const std::set<int> distinct(seconds.begin(), seconds.end());
    CHECK(distinct.size() >= 4);
    CHECK(seconds.size() >= 8); // twice a second
    CHECK(std::is_sorted(seconds.begin(), seconds.end()));
    // Health polls appear in the live line of settle or health-check.
    CHECK(std::regex_search(run.out, std::regex("\\[10/12\\] health-check …  \\d+s / 90s  "
                                                "poll 1: 200 OK")));
    // The stage lines themselves end up whole on the screen, the clock cleared.
    CHECK(run.out.find("\r\033[K[6/12] build ") != std::string::npos);
    CHECK(run.out.find("✅ Rollback complete") != std::string::npos);
}
