#include "smo/remote_standby_commands.hpp"

#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

#include <stdexcept>

namespace smo::remote {
namespace {

std::string q(const std::string& word) {
    return shell_quote(word);
}

std::string git_in(const std::string& dir) {
    return "git -C " + q(dir);
}

// The first 16 hex digits of sha256 of npm's record of what it installed, or
// "none" (no node_modules, or an npm that keeps no such record).
std::string modules_hash(const RemotePaths& paths) {
    const std::string lock = q(paths.staging + "/node_modules/.package-lock.json");
    return "if [ -f " + lock + " ]; then sha256sum < " + lock + " | cut -c1-16; else echo none; fi";
}

std::string name_of(const std::string& path) {
    return path.substr(path.rfind('/') + 1);
}

} // namespace

std::string standby_manifest_path(const RemotePaths& paths) {
    if (paths.staging.empty() || !paths.staging.starts_with(paths.work_root + "/")) {
        throw std::logic_error("standby manifest outside the work area: " + paths.staging);
    }
    return paths.staging + ".prepared";
}

std::string probe_standby(const RemotePaths& paths) {
    const std::string manifest = q(standby_manifest_path(paths));
    // staging_probe's lines say whether git lists the staging path (or its
    // physical path) as a worktree.
    return staging_probe(paths) + "\necho smo:standby; cat " + manifest +
           " 2>/dev/null; echo; echo smo:standby-end; echo \"smo:head $(" + git_in(paths.staging) +
           " rev-parse HEAD 2>/dev/null)\"; [ -n \"$(" + git_in(paths.staging) +
           " status --porcelain --untracked-files=no 2>&1)\" ] || echo smo:clean; echo "
           "\"smo:modules $(" +
           modules_hash(paths) + ")\"";
}

standby::Probe parse_standby_probe(const std::string& out, const std::string& staging) {
    standby::Probe probe;
    probe.registered = parse_staging_probe(out, staging).registered;
    const auto text = text_between(out, "smo:standby", "smo:standby-end");
    if (!text) {
        return probe;
    }
    probe.answered = true;
    const auto end = out.find("smo:standby-end");
    probe.manifest = !text->empty();
    probe.parsed = standby::parse(*text + "\n");
    for (const auto& line : lines_of(out.substr(end))) {
        if (line == "smo:clean") {
            probe.clean = true;
        } else if (line.starts_with("smo:head ")) {
            probe.head = line.substr(9);
        } else if (line.starts_with("smo:modules ")) {
            probe.modules_hash = line.substr(12);
        }
    }
    return probe;
}

std::string write_standby(const RemotePaths& paths, const std::string& manifest_text) {
    const std::string manifest = standby_manifest_path(paths);
    const std::string temp = manifest + ".tmp";
    return "{ printf '%s' " + q(manifest_text) + " && echo \"modules=$(" + modules_hash(paths) +
           ")\"; } > " + q(temp) + " && mv -f " + q(temp) + " " + q(manifest) +
           " && echo smo:prepared";
}

std::string remove_standby_manifest(const RemotePaths& paths) {
    return "rm -f -- " + q(standby_manifest_path(paths));
}

std::string standby_and_journal(const RemotePaths& paths) {
    return "m=$(ls -1t -- " + q(paths.work_root) +
           "/staged-*.prepared 2>/dev/null | head -n 1); echo smo:standby; [ -z \"$m\" ] || cat "
           "-- \"$m\"; echo; echo smo:standby-end; echo smo:journal; cat " +
           q(paths.work_root + "/journal") + " 2>/dev/null; echo; echo smo:journal-end";
}

StandbyAndJournal parse_standby_and_journal(const std::string& out) {
    StandbyAndJournal found;
    if (const auto text = text_between(out, "smo:standby", "smo:standby-end")) {
        if (auto manifest = standby::parse(*text); manifest.valid) {
            found.standby = std::move(manifest);
        }
    }
    if (const auto text = text_between(out, "smo:journal", "smo:journal-end")) {
        found.journal = journal::parse(*text);
    }
    return found;
}

std::string prune_standbys(const RemotePaths& paths, int keep_releases) {
    const std::string own = name_of(standby_manifest_path(paths));
    const int others = keep_releases > 1 ? keep_releases - 1 : 0;
    const std::string root = q(paths.work_root);
    // ls -t: newest first by the manifest's time; names this tool made only.
    return "if [ -d " + root + " ]; then ls -1t " + root + " | grep -x " +
           q("staged-.*\\.prepared") + " | grep -vxF " + q(own) + " | tail -n +" +
           std::to_string(others + 1) + " | while IFS= read -r m; do s=" + root +
           "/\"${m%.prepared}\"; if " + git_in(paths.live) +
           " worktree list --porcelain | grep -qxF -e \"worktree $s\" -e \"worktree $(readlink "
           "-f \"$s\")\"; then " +
           git_in(paths.live) + " worktree remove --force \"$s\" || continue; fi; rm -f -- " +
           root + "/\"$m\" && echo \"smo:discarded ${m%.prepared}\"; done; fi; echo smo:pruned";
}

} // namespace smo::remote
