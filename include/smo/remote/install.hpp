#pragma once

#include "smo/dependency_set.hpp"
#include "smo/remote/paths.hpp"

#include <string>
#include <vector>

// Stage 5's round trips, with the markers package_probe prints and the parser
// of its reply: package_probe (what the live tree has installed and both
// releases' package files), copy_node_modules (the live node_modules reused)
// and prune_dev_dependencies (after stage 6's build). Stages and tests use
// the k_ markers below, never their spelling.
namespace smo::remote {

// package_probe's markers: k_package_modules when the live tree has
// node_modules; k_package_has prefixes one installed package each and
// k_package_file one package file's "from|to <file>" (both prefixes end with
// their space); k_package_no_file follows a file the release does not have;
// k_package_end ends a probe that ran to its end.
inline constexpr char k_package_modules[] = "smo:modules";
inline constexpr char k_package_has[] = "smo:has ";
inline constexpr char k_package_file[] = "smo:file ";
inline constexpr char k_package_no_file[] = "smo:no-file";
inline constexpr char k_package_end[] = "smo:end";

// One round trip for stage 5: k_package_modules when the live tree has
// node_modules, then k_package_has <name> for each package installed at its
// top level (scoped ones as @scope/name), then both releases' package.json
// and package-lock.json (`git show <commit>:<file>`) after
// k_package_file from|to <file> lines (k_package_no_file when the release
// has none), then k_package_end.
std::string package_probe(const RemotePaths& paths, const std::string& from_commit,
                          const std::string& to_commit);

// package_probe's reply, read.
struct PackageProbe {
    bool complete = false;     // k_package_end was printed
    bool live_modules = false; // k_package_modules: the live tree has node_modules
    std::vector<std::string> installed;
    PackageFiles from;
    PackageFiles to;
};

PackageProbe parse_package_probe(const std::string& out);

// `cp -al <live>/node_modules <staging>/node_modules` (hard links, no copy).
std::string copy_node_modules(const RemotePaths& paths);

// `cd <staging> && npm prune --omit=dev`: after the build, back to what the
// app needs at run time, as the live tree had it.
std::string prune_dev_dependencies(const RemotePaths& paths);

} // namespace smo::remote
