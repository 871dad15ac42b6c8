// What remote commands print (docs/usage.md): a hostile or broken target can
// print anything. The whole input goes to every reader of remote_replies.hpp,
// to parse_build_outputs and to the readers of smo/remote/*.hpp.
// Promises: no exception; lines are non-empty, single and trimmed; a build
// output is a plain relative path that is not node_modules nor an env file;
// a section never holds a marker line; a process is found only in a list.
#include "fuzz/fuzz_support.hpp"
#include "smo/remote/build.hpp"
#include "smo/remote/install.hpp"
#include "smo/remote/live_checks.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote/staging.hpp"
#include "smo/remote/standby.hpp"
#include "smo/remote/status_probe.hpp"
#include "smo/remote/switch.hpp"
#include "smo/remote/tag.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace {

namespace remote = smo::remote;

void check_lines(const std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
        SMO_FUZZ_CHECK(!line.empty());
        SMO_FUZZ_CHECK(line.find('\n') == std::string::npos);
        SMO_FUZZ_CHECK(line.back() != '\r' && line.back() != ' ');
    }
}

void check_no_markers(const std::vector<std::string>& section) {
    check_lines(section);
    for (const std::string& line : section) {
        SMO_FUZZ_CHECK(!line.starts_with(remote::k_marker_prefix));
    }
}

void check_build_outputs(const std::string& out) {
    const std::vector<std::string> env_files{".env", ".env.local", ".env.production"};
    for (const std::string& entry : remote::parse_build_outputs(out, env_files)) {
        SMO_FUZZ_CHECK(remote::is_valid_swap_item(entry));
        SMO_FUZZ_CHECK(entry != "node_modules");
        SMO_FUZZ_CHECK(std::find(env_files.begin(), env_files.end(), entry) == env_files.end());
        SMO_FUZZ_CHECK(entry.back() != '/');
    }
}

void check_pm2(const std::string& out) {
    for (const std::string name : {"smo-demo", "app"}) {
        const remote::Pm2Process process = remote::find_pm2_process(out, name);
        SMO_FUZZ_CHECK(!process.found || process.listed);
        SMO_FUZZ_CHECK(process.listed == process.error.empty());
    }
}

// Stage 5's and the standby's readers: names are single lines.
void check_install_and_standby(const std::string& out) {
    const remote::PackageProbe packages = remote::parse_package_probe(out);
    for (const std::string& name : packages.installed) {
        SMO_FUZZ_CHECK(name.find('\n') == std::string::npos);
    }
    const smo::standby::Probe probe = remote::parse_standby_probe(out, "/srv/app/.smo-staging");
    SMO_FUZZ_CHECK(probe.answered || (!probe.manifest && !probe.clean && probe.head.empty()));
    SMO_FUZZ_CHECK(probe.head.find('\n') == std::string::npos);
    check_lines(remote::parse_pruned_standbys(out).discarded);
    (void)remote::parse_standby_written(out);
    (void)remote::parse_standby_and_journal(out);
}

void read_all(const std::string& out) {
    const auto lines = remote::lines_of(out);
    check_lines(lines);
    SMO_FUZZ_CHECK(remote::tail_of(out).empty() == lines.empty());
    const remote::LockReply lock = remote::parse_lock_reply(out);
    SMO_FUZZ_CHECK(out.find(remote::k_age_seconds) != std::string::npos || lock.age_seconds == -1);
    (void)lock.holder.describe();
    (void)remote::parse_staging_probe(out, "/srv/app/.smo-staging/");
    check_build_outputs(out);
    check_no_markers(remote::lines_after(out, remote::k_built));
    const remote::LiveChecks live = remote::parse_live_checks(out);
    check_lines(live.missing_tools);
    check_no_markers(live.changes);
    SMO_FUZZ_CHECK(live.head.find('\n') == std::string::npos);
    const remote::TagCheck tag = remote::parse_tag_check(out);
    SMO_FUZZ_CHECK(tag.tag_commit.find('\n') == std::string::npos);
    const remote::CheckoutOverwrites overwrites = remote::parse_checkout_overwrites(out);
    check_no_markers(overwrites.tracked_env);
    check_no_markers(overwrites.untracked);
    const remote::StatusProbe status = remote::parse_status_probe(out, "app");
    check_no_markers(status.changes);
    SMO_FUZZ_CHECK(!status.pm2.found || status.pm2.listed);
    const remote::JournalReply journal = remote::parse_journal_reply(out);
    SMO_FUZZ_CHECK(journal.answered || !journal.runner_alive);
    check_pm2(out);
    check_install_and_standby(out);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string out(smo::fuzz::as_text(data, size));
    smo::fuzz::never_throws([&] { read_all(out); });
    return 0;
}
