#pragma once

#include "smo/remote/paths.hpp"

#include <string>
#include <vector>

// Stage 6's round trips, each with its script, the markers it prints and the
// parser of its reply: build_and_list (build, then what it created),
// find_baked_paths (outputs naming the staging path) and rewrite_baked_paths.
// Stages and tests use the k_ markers below, never their spelling.
namespace smo::remote {

// build_and_list's markers: the listing before the build follows k_before
// (or k_before_failed when it could not be made); k_built follows a
// successful build, then the listing after it.
inline constexpr char k_before[] = "smo:before";
inline constexpr char k_before_failed[] = "smo:before-failed";
inline constexpr char k_built[] = "smo:built";

// find_baked_paths' markers: k_text/k_binary prefix one file each (the prefix
// ends with its space); k_searched ends a search that ran.
inline constexpr char k_text[] = "smo:text ";
inline constexpr char k_binary[] = "smo:binary ";
inline constexpr char k_searched[] = "smo:searched";

// rewrite_baked_paths prints k_rewrote and the file, per file rewritten.
inline constexpr char k_rewrote[] = "smo:rewrote ";

// Stage 6: k_before and staging_ignored's output (or k_before_failed), then
// run_in(staging, build_text) (nothing when empty), then k_built, then
// staging_ignored's output.
std::string build_and_list(const RemotePaths& paths, const std::string& build_text);

// Top-level entries the build left in staging: `!! ` lines of
// `git status --porcelain --ignored`, trailing '/' dropped, minus node_modules,
// the env files and anything that is not a plain relative path (quoted names,
// "..", ".git").
std::vector<std::string> parse_build_outputs(const std::string& status_out,
                                             const std::vector<std::string>& env_files);

// What stage 8 may swap, from build_and_list's reply.
struct BuildOutputs {
    std::vector<std::string> swap; // created by the build: swapped at stage 8
    std::vector<std::string> kept; // created by the build but user data (rollback.keep)
};

// The entries the build created: those of `after_out` (parse_build_outputs)
// that `before_out` did not list, minus every path of `keep`, inside one, or
// holding one (`public` when `public/uploads` is kept).
BuildOutputs select_build_outputs(const std::string& before_out, const std::string& after_out,
                                  const std::vector<std::string>& env_files,
                                  const std::vector<std::string>& keep);

// build_and_list's reply, read.
struct BuildReply {
    bool built = false;  // k_built: the build command succeeded
    bool listed = false; // k_before without k_before_failed: what the build made can be told
    BuildOutputs outputs;
};

BuildReply parse_build_reply(const std::string& out, const std::vector<std::string>& env_files,
                             const std::vector<std::string>& keep);

// Files under the build outputs (not node_modules, not cache directories)
// that name the staging path or its physical path: k_text <file> for text,
// k_binary <file> for binary files, then k_searched. Run in the staging tree.
std::string find_baked_paths(const RemotePaths& paths, const std::vector<std::string>& outputs);

struct BakedPaths {
    bool searched = false; // k_searched: the search ran to its end
    std::vector<std::string> text;
    std::vector<std::string> binary;
};

BakedPaths parse_baked_paths(const std::string& out);

// Rewrites, in each text file listed (relative to staging), the staging path
// (and its physical path) to the live path (and its physical path), with
// node (no regex, no quoting games); prints k_rewrote <file> per file.
std::string rewrite_baked_paths(const RemotePaths& paths, const std::vector<std::string>& files);

} // namespace smo::remote
