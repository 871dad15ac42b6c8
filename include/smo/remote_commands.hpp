#pragma once

#include "smo/config.hpp"
#include "smo/remote/paths.hpp"

#include <string>
#include <utility>
#include <vector>

// Every command the stages run on the target, built in one place so that
// --plan prints exactly what a rollback would run. Each function returns the
// inner command; RemoteShell::run wraps it in `timeout … bash -lc '…'`.
//
// Every argument (path, tag, commit, pm2 name, file name) is shell_quote'd
// even though it was validated earlier. The configured command texts
// (commands.install, build, db_rollback, reload) are the operator's own shell
// text and go out as written, except that `{pm2_name}` becomes the quoted name.
//
// No function here ever builds `git reset --hard` or `git clean`, and nothing
// removes anything but the staging worktree, the aside area and the lock.
namespace smo::remote {

// `git -C <live> status --porcelain --untracked-files=no`
std::string live_status(const RemotePaths& paths);

// `git -C <live> rev-parse HEAD`
std::string live_head(const RemotePaths& paths);

// `git -C <live> fetch --tags origin` (changes refs, never the working tree).
std::string fetch_tags(const RemotePaths& paths);

// `git -C <live> rev-parse --verify --quiet 'refs/tags/<tag>^{commit}'`
std::string resolve_tag(const RemotePaths& paths, const std::string& tag);

// `git -C <live> cat-file -e '<commit>^{commit}'`: exit 0 when present.
std::string has_commit(const RemotePaths& paths, const std::string& commit);

// Prints "present" when the staging path exists, "real <path>" (the staging
// path with symlinks resolved), then the live repository's
// `git worktree list --porcelain`. See parse_staging_probe.
std::string staging_probe(const RemotePaths& paths);

// `git -C <live> worktree prune`, then, when the staging path exists,
// `git -C <live> worktree remove --force <staging>`.
// Throws std::logic_error if the staging path is not strictly inside
// work_root or equals the live path: only the staging worktree is ever removed.
std::string remove_staging(const RemotePaths& paths);

// `git -C <live> worktree prune`
std::string prune_worktrees(const RemotePaths& paths);

// `mkdir -p <dir>` under umask 077, then status 47 (and a line on stderr)
// unless <dir> is a real directory, not a link, owned by the SSH user and
// not group- or world-writable (docs/usage.md).
std::string ensure_private_dir(const std::string& dir);

// ensure_private_dir of <parent>/.smo-rollback, then of <work_root>.
std::string ensure_work_area(const RemotePaths& paths);

// `ensure_work_area && git -C <live> worktree add --detach <staging> <commit>`
std::string add_staging(const RemotePaths& paths, const std::string& to_commit);

// For each env file that exists in the live tree and not in staging:
// `ln -s <live>/<f> <staging>/<f>`, printing the name of each one linked.
std::string link_env_files(const RemotePaths& paths, const std::vector<std::string>& env_files);

// `cd <dir> && <command_text>`: the command text is the operator's, unquoted.
std::string run_in(const std::string& dir, const std::string& command_text);

// The live tree's env files, concatenated (missing ones skipped), so that
// their values can be redacted from target text. The output is never shown.
std::string read_env_files(const RemotePaths& paths, const std::vector<std::string>& env_files);

// Replaces every `{pm2_name}` in `command_text` by shell_quote(pm2_name), so
// that it is the bare name whatever quotes the operator put around it
// (`pm2 reload "{pm2_name}"` works like `pm2 reload {pm2_name}`).
std::string with_pm2_name(const std::string& command_text, const std::string& pm2_name);

// `git -C <staging> status --porcelain --ignored --untracked-files=normal`
std::string staging_ignored(const RemotePaths& paths);

// `cat <live>/<relative>`
std::string read_live_file(const RemotePaths& paths, const std::string& relative);

// `git -C <live> checkout --detach <commit>`: refuses, changing nothing,
// rather than overwrite local changes.
std::string checkout_live(const RemotePaths& paths, const std::string& commit);

// ensure_work_area, ensure_private_dir(<asides>), `mkdir <aside>`: done
// before the switch so that the switch itself is renames only; fails when the
// aside exists, and never removes anything. Throws std::logic_error unless the aside path is
// strictly inside work_root.
std::string prepare_aside(const RemotePaths& paths);

// Removes the oldest asides (stamped names in <asides> only, never this run's
// own) so that `keep_releases` remain, this run's included. Prints
// "smo:rotated <name>" per removal, then "smo:rotation-done".
std::string rotate_asides(const RemotePaths& paths, int keep_releases);

// When the to-commit is in the live repository: "smo:tracked-env" and the env
// files the to-commit tracks, then "smo:overwrites" and the untracked files
// (ignored or not) of the live tree at paths the to-commit tracks, then
// "smo:overwrites-done". Nothing when the commit is absent.
std::string checkout_overwrites(const RemotePaths& paths, const std::string& to_commit,
                                const std::vector<std::string>& env_files);

// One script of renames: for each item, `mv -T <live>/X <aside>/X` (when it
// exists) then `mv -T <staging>/X <live>/X` (when staged). Prints "smo:swapped".
// Items are relative paths (validated by is_valid_swap_item).
std::string swap_in(const RemotePaths& paths, const std::vector<std::string>& items);

// `pm2 jlist`
std::string pm2_jlist();

// `status`: the live HEAD, a clean-tree check, the lock's owner and age, the
// target's clock in ms, then `pm2 jlist` — all read-only, one round trip.
// Markers: smo:head, smo:status, smo:lock, smo:now-ms, smo:pm2.
std::string status_probe(const RemotePaths& paths);

// ---- Round trips combined ----------------------------------------------
// Every command costs a channel and a login shell on the target (seconds on
// some hosts), and the SLA clock runs until health is green, so the stages
// use these combinations; each prints `smo:` marker lines that tell which
// part finished (see remote_replies.hpp).

// Stage 3 after the lock: missing_tools (as "smo:missing <tool>" lines), then
// "smo:status" and live_status's output (or "smo:status-failed N"), then
// "smo:head" and live_head's output (or "smo:head-failed N").
std::string live_checks(const RemotePaths& paths);

// Stage 4: fetch_tags, then "smo:fetch-exit N", then resolve_tag's output or
// "smo:no-tag".
std::string fetch_and_resolve_tag(const RemotePaths& paths, const std::string& tag);

// Stage 4: fetch_and_resolve_tag, then checkout_overwrites (one round trip).
std::string fetch_and_check_tag(const RemotePaths& paths, const std::string& tag,
                                const std::string& to_commit,
                                const std::vector<std::string>& env_files);

// Stage 4: add_staging && link_env_files (the names linked, one per line).
std::string stage_release(const RemotePaths& paths, const std::string& to_commit,
                          const std::vector<std::string>& env_files);

// Stage 8, staged strategy, as one script so that the live tree holds mixed
// releases for the shortest time: prepare_aside ("smo:aside-ready"),
// checkout_live ("smo:checked-out"), swap_in ("smo:swapped"), then the reload
// text in the live tree in a subshell ("smo:reloaded"). Stops at the first
// failure (exit 40..43).
std::string activate(const RemotePaths& paths, const std::string& to_commit,
                     const std::vector<std::string>& items, const std::string& reload_text);

// A relative path with no "..", not ".git", no leading '-' or '/', no control
// characters: safe as a swap item or env file name.
bool is_valid_swap_item(const std::string& item);

// The script name X when `command_text` is `npm run X` (or `npm run-script X`),
// else empty.
std::string npm_script_name(const std::string& command_text);

// The name a release goes by in remote paths: its tag, else the first 12
// characters of its commit, else "unknown".
std::string release_label(const std::string& tag, const std::string& commit);

// remote_paths_for(config.env.path, release_label(from…), release_label(to…),
// stamp).
RemotePaths paths_for_run(const ProjectConfig& config, const std::string& from_tag,
                          const std::string& from_commit, const std::string& to_tag,
                          const std::string& to_commit, const std::string& stamp = {});

} // namespace smo::remote
