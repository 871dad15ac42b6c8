#pragma once

#include "smo/remote/paths.hpp"

#include <string>
#include <vector>

// Stage 4's staging worktree, each round trip with its script and the parser
// of its reply: staging_probe (is there one, is it registered), stage_release
// (add it, link the env files), remove_staging and prune_worktrees. Stages and
// tests use the k_ words below, never their spelling.
namespace smo::remote {

// staging_probe: k_present when something is at the staging path, k_real and
// the path with its links resolved (the prefix ends with its space), then the
// live repository's `git worktree list --porcelain` (k_worktree lines).
inline constexpr char k_present[] = "present";
inline constexpr char k_real[] = "real ";
inline constexpr char k_worktree[] = "worktree ";

// Prints k_present when the staging path exists, k_real <path>, then the live
// repository's `git worktree list --porcelain`. See parse_staging_probe.
std::string staging_probe(const RemotePaths& paths);

struct StagingProbe {
    bool present = false;    // something exists at the staging path
    bool registered = false; // a worktree of the live repository lives there
};

StagingProbe parse_staging_probe(const std::string& out, const std::string& staging);

// `git -C <live> worktree prune`, then, when the staging path exists,
// `git -C <live> worktree remove --force <staging>`.
// Throws std::logic_error if the staging path is not strictly inside
// work_root or equals the live path: only the staging worktree is ever removed.
std::string remove_staging(const RemotePaths& paths);

// `git -C <live> worktree prune`
std::string prune_worktrees(const RemotePaths& paths);

// `ensure_work_area && git -C <live> worktree add --detach <staging> <commit>`
std::string add_staging(const RemotePaths& paths, const std::string& to_commit);

// For each env file that exists in the live tree and not in staging:
// `ln -s <live>/<f> <staging>/<f>`, printing the name of each one linked.
std::string link_env_files(const RemotePaths& paths, const std::vector<std::string>& env_files);

// Stage 4: add_staging && link_env_files (the names linked, one per line).
std::string stage_release(const RemotePaths& paths, const std::string& to_commit,
                          const std::vector<std::string>& env_files);

} // namespace smo::remote
