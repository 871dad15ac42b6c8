#pragma once

#include "smo/journal.hpp"
#include "smo/remote/paths.hpp"
#include "smo/standby.hpp"

#include <optional>
#include <string>
#include <vector>

// The warm standby's round trips (docs/prepare.md), each with its script, the
// markers it prints and the parser of its reply: probe_standby (stage 4),
// write_standby and prune_standbys (a prepare run), standby_and_journal
// (`status`). The same rules as remote_commands.hpp: every argument
// shell_quote'd; only what this tool made (a registered worktree, a manifest)
// is ever removed. Stages and tests use the k_ markers below, never their
// spelling.
namespace smo::remote {

// k_standby and k_standby_end enclose a manifest's text (probe_standby,
// standby_and_journal).
inline constexpr char k_standby[] = "smo:standby";
inline constexpr char k_standby_end[] = "smo:standby-end";

// probe_standby's markers after the manifest: k_standby_head and
// k_standby_modules prefix the staged HEAD and the node_modules hash (each
// prefix ends with its space); k_standby_clean when no tracked file changed.
inline constexpr char k_standby_head[] = "smo:head ";
inline constexpr char k_standby_clean[] = "smo:clean";
inline constexpr char k_standby_modules[] = "smo:modules ";

// write_standby prints k_prepared once the manifest is in place.
inline constexpr char k_prepared[] = "smo:prepared";

// prune_standbys prints k_discarded and the name, per standby removed, then
// k_pruned.
inline constexpr char k_discarded[] = "smo:discarded ";
inline constexpr char k_pruned[] = "smo:pruned";

// standby_and_journal's journal comes between k_status_journal and
// k_status_journal_end (the words switch_script's read_journal prints).
inline constexpr char k_status_journal[] = "smo:journal";
inline constexpr char k_status_journal_end[] = "smo:journal-end";

// <staging>.prepared: beside the worktree, so that `git status` in it stays
// the release's own.
std::string standby_manifest_path(const RemotePaths& paths);

// One round trip, changing nothing: staging_probe's lines (is the staging
// path a worktree of the live repository?), k_standby, the manifest (if any),
// k_standby_end, k_standby_head <commit>, k_standby_clean when no tracked file
// in it changed; k_standby_modules <hash|none>.
std::string probe_standby(const RemotePaths& paths);

standby::Probe parse_standby_probe(const std::string& out, const std::string& staging);

// Writes `manifest_text` plus "modules=<hash>" (of the staged node_modules as
// it is now) to the manifest, atomically; prints k_prepared.
std::string write_standby(const RemotePaths& paths, const std::string& manifest_text);

// write_standby's reply: true when k_prepared says the manifest is in place.
bool parse_standby_written(const std::string& out);

// Removes the manifest file only.
std::string remove_standby_manifest(const RemotePaths& paths);

// Read-only, for `status`: the newest manifest in the work area between
// k_standby and k_standby_end, then the journal (not the heartbeat's touch of
// read_journal) between k_status_journal and k_status_journal_end.
std::string standby_and_journal(const RemotePaths& paths);

struct StandbyAndJournal {
    std::optional<standby::Manifest> standby; // a valid manifest was there
    journal::Journal journal;
};

StandbyAndJournal parse_standby_and_journal(const std::string& out);

// Other standbys (staged-*.prepared in the work area, newest first) beyond
// `keep_releases - 1` are removed: the worktree (only when git lists it as
// one) and then the manifest; k_discarded <name> each, then k_pruned.
std::string prune_standbys(const RemotePaths& paths, int keep_releases);

// prune_standbys' reply, read.
struct PrunedStandbys {
    bool finished = false;              // k_pruned: the pruning ran to its end
    std::vector<std::string> discarded; // the names removed (staged-<tag>)
};

PrunedStandbys parse_pruned_standbys(const std::string& out);

} // namespace smo::remote
