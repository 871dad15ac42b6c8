#pragma once

#include <optional>
#include <string>
#include <vector>

// What node_modules is made of, read from a release's package files (stage 5,
// docs/configuration.md): two releases with the same dependency set can share
// one node_modules, whatever else changed in their package files (an
// `npm version` bump changes only the root's version).
namespace smo {

// A release's package.json and package-lock.json texts; nullopt when the
// release has no such file.
struct PackageFiles {
    std::optional<std::string> package_json;
    std::optional<std::string> package_lock;
};

// The dependency set as one canonical text: package.json's dependencies,
// devDependencies, optionalDependencies and overrides, and the lockfile
// without its own name/version (top level and packages[""]), keys sorted.
// nullopt when a file that exists is not a JSON object: nothing can be said.
std::optional<std::string> dependency_set(const PackageFiles& files);

// True when package.json names no dependency of any kind (nothing to install).
bool has_no_dependencies(const PackageFiles& files);

// The names in package.json's devDependencies (empty when unreadable).
std::vector<std::string> dev_dependency_names(const PackageFiles& files);

// A stable 16-hex-digit hash (FNV-1a 64) of `text`, for manifests and messages.
std::string stable_hash(const std::string& text);

} // namespace smo
