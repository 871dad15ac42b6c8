#pragma once

#include "smo/config.hpp"
#include "smo/options.hpp"
#include "smo/ssh_target.hpp"

#include <vector>

// The subcommands beside the rollback (docs/usage.md): each gets the loaded
// config and the resolved target, prints its own output, and returns the
// process exit code.
namespace smo {

class LocalFileSystem;

// `status`: what runs now. Read-only: one GET, one SSH session that changes nothing.
int run_status(const Options& options, const ProjectConfig& config, const SshTarget& target,
               LocalFileSystem& files);

// `status` on a fleet: every host, each with its own target (in config.hosts'
// order), at most rollback.parallel at a time.
int run_fleet_status(const Options& options, const ProjectConfig& config,
                     const std::vector<SshTarget>& targets, LocalFileSystem& files);

// `list`: the environment's releases, newest first, and the one a rollback
// would pick. Offline: records and the local repository.
int run_list(const Options& options, const ProjectConfig& config, LocalFileSystem& files);

// `prepare`: the warm standby (docs/prepare.md): stages 1–6 for real, the staged
// release kept beside the live tree with a manifest.
int run_prepare(const Options& options, const ProjectConfig& config, const SshTarget& target,
                LocalFileSystem& files);

} // namespace smo
