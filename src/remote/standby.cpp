#include "smo/remote/standby.hpp"

#include "script_words.hpp"
#include "smo/remote/staging.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

#include <stdexcept>

namespace smo::remote {
namespace {

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
    return staging_probe(paths) + "\necho " + m(k_standby) + "; cat " + manifest +
           " 2>/dev/null; echo; echo " + m(k_standby_end) + "; echo \"" + m(k_standby_head) + "$(" +
           git_in(paths.staging) + " rev-parse HEAD 2>/dev/null)\"; [ -n \"$(" +
           git_in(paths.staging) + " status --porcelain --untracked-files=no 2>&1)\" ] || echo " +
           m(k_standby_clean) + "; echo \"" + m(k_standby_modules) + "$(" + modules_hash(paths) +
           ")\"";
}

standby::Probe parse_standby_probe(const std::string& out, const std::string& staging) {
    standby::Probe probe;
    probe.registered = parse_staging_probe(out, staging).registered;
    const auto text = text_between(out, k_standby, k_standby_end);
    if (!text) {
        return probe;
    }
    probe.answered = true;
    const auto end = out.find(k_standby_end);
    probe.manifest = !text->empty();
    probe.parsed = standby::parse(*text + "\n");
    const std::string head = k_standby_head;
    const std::string modules = k_standby_modules;
    for (const auto& line : lines_of(out.substr(end))) {
        if (line == k_standby_clean) {
            probe.clean = true;
        } else if (line.starts_with(head)) {
            probe.head = line.substr(head.size());
        } else if (line.starts_with(modules)) {
            probe.modules_hash = line.substr(modules.size());
        }
    }
    return probe;
}

std::string write_standby(const RemotePaths& paths, const std::string& manifest_text) {
    const std::string manifest = standby_manifest_path(paths);
    const std::string temp = manifest + ".tmp";
    return "{ printf '%s' " + q(manifest_text) + " && echo \"modules=$(" + modules_hash(paths) +
           ")\"; } > " + q(temp) + " && mv -f " + q(temp) + " " + q(manifest) + " && echo " +
           m(k_prepared);
}

bool parse_standby_written(const std::string& out) {
    return has_marker(out, k_prepared);
}

std::string remove_standby_manifest(const RemotePaths& paths) {
    return "rm -f -- " + q(standby_manifest_path(paths));
}

std::string standby_and_journal(const RemotePaths& paths) {
    return "m=$(ls -1t -- " + q(paths.work_root) +
           "/staged-*.prepared 2>/dev/null | head -n 1); echo " + m(k_standby) +
           "; [ -z \"$m\" ] || cat -- \"$m\"; echo; echo " + m(k_standby_end) + "; echo " +
           m(k_status_journal) + "; cat " + q(paths.work_root + "/journal") +
           " 2>/dev/null; echo; echo " + m(k_status_journal_end);
}

StandbyAndJournal parse_standby_and_journal(const std::string& out) {
    StandbyAndJournal found;
    if (const auto text = text_between(out, k_standby, k_standby_end)) {
        if (auto manifest = standby::parse(*text); manifest.valid) {
            found.standby = std::move(manifest);
        }
    }
    if (const auto text = text_between(out, k_status_journal, k_status_journal_end)) {
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
           root + "/\"$m\" && echo \"" + m(k_discarded) + "${m%.prepared}\"; done; fi; echo " +
           m(k_pruned);
}

PrunedStandbys parse_pruned_standbys(const std::string& out) {
    PrunedStandbys pruned;
    const std::string discarded = k_discarded;
    for (const auto& line : lines_of(out)) {
        if (line.starts_with(discarded)) {
            pruned.discarded.push_back(line.substr(discarded.size()));
        }
    }
    pruned.finished = has_marker(out, k_pruned);
    return pruned;
}

} // namespace smo::remote
