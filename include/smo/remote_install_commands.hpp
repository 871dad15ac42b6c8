#pragma once

#include "smo/dependency_set.hpp"
#include "smo/remote/paths.hpp"

#include <string>
#include <vector>

// The commands of stages 5 and 6 about dependencies and build outputs, and
// the readers of their replies (remote_commands.hpp holds the others; the
// same rules: every argument shell_quote'd, nothing removed).
namespace smo::remote {

// One round trip for stage 5: "smo:modules" when the live tree has
// node_modules, then "smo:has <name>" for each package installed at its top
// level (scoped ones as @scope/name), then both releases' package.json and
// package-lock.json (`git show <commit>:<file>`) after "smo:file from|to
// <file>" lines ("smo:no-file" when the release has none), then "smo:end".
std::string package_probe(const RemotePaths& paths, const std::string& from_commit,
                          const std::string& to_commit);

struct PackageProbe {
    bool complete = false;     // "smo:end" was printed
    bool live_modules = false; // the live tree has node_modules
    std::vector<std::string> installed;
    PackageFiles from;
    PackageFiles to;
};

PackageProbe parse_package_probe(const std::string& out);

// `cd <staging> && npm prune --omit=dev`: after the build, back to what the
// app needs at run time, as the live tree had it.
std::string prune_dev_dependencies(const RemotePaths& paths);

} // namespace smo::remote
