#pragma once

#include "smo/journal.hpp"
#include "smo/remote/paths.hpp"
#include "smo/standby.hpp"

#include <optional>
#include <string>

// The commands about the warm standby (docs/prepare.md), and the reader of
// the probe's reply. The same rules as remote_commands.hpp: every argument
// shell_quote'd; only what this tool made (a registered worktree, a manifest)
// is ever removed.
namespace smo::remote {

// <staging>.prepared: beside the worktree, so that `git status` in it stays
// the release's own.
std::string standby_manifest_path(const RemotePaths& paths);

// One round trip, changing nothing: staging_probe's lines (is the staging
// path a worktree of the live repository?), "smo:standby", the manifest (if
// any), "smo:standby-end", "smo:head <commit>", "smo:clean" when no tracked file
// in it changed; "smo:modules <hash|none>".
std::string probe_standby(const RemotePaths& paths);

standby::Probe parse_standby_probe(const std::string& out, const std::string& staging);

// Writes `manifest_text` plus "modules=<hash>" (of the staged node_modules as
// it is now) to the manifest, atomically; prints "smo:prepared".
std::string write_standby(const RemotePaths& paths, const std::string& manifest_text);

// Removes the manifest file only.
std::string remove_standby_manifest(const RemotePaths& paths);

// Read-only, for `status`: the newest manifest in the work area between
// "smo:standby" and "smo:standby-end", then the journal (not the heartbeat's
// touch of read_journal) between "smo:journal" and "smo:journal-end".
std::string standby_and_journal(const RemotePaths& paths);

struct StandbyAndJournal {
    std::optional<standby::Manifest> standby; // a valid manifest was there
    journal::Journal journal;
};

StandbyAndJournal parse_standby_and_journal(const std::string& out);

// Other standbys (staged-*.prepared in the work area, newest first) beyond
// `keep_releases - 1` are removed: the worktree (only when git lists it as
// one) and then the manifest; "smo:discarded <name>" each, then
// "smo:pruned".
std::string prune_standbys(const RemotePaths& paths, int keep_releases);

} // namespace smo::remote
