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

// `mkdir -p <dir>` under umask 077, then status 47 (and a line on stderr)
// unless <dir> is a real directory, not a link, owned by the SSH user and
// not group- or world-writable (docs/usage.md).
std::string ensure_private_dir(const std::string& dir);

// Throws std::logic_error ("refusing to remove the <what> <path>") unless
// `path` is strictly inside work_root, not the live path, not inside it: the
// only places a script here ever removes.
void require_under_work_root(const RemotePaths& paths, const std::string& path, const char* what);

// ensure_private_dir of <parent>/.smo-rollback, then of <work_root>.
std::string ensure_work_area(const RemotePaths& paths);

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

// `pm2 jlist`
std::string pm2_jlist();

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
