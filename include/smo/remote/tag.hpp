#pragma once

#include "smo/remote/paths.hpp"

#include <string>
#include <vector>

// Stage 4's look at the to-release on the target, in one round trip:
// fetch_and_check_tag (fetch the tags, resolve the tag, list what the
// checkout would overwrite) and the parsers of its reply; fetch_tags,
// resolve_tag, has_commit on their own. Stages and tests use the k_ markers,
// never their spelling.
namespace smo::remote {

// k_fetch_exit and fetch_tags' exit code (the prefix ends with its space),
// then resolve_tag's output or k_no_tag.
inline constexpr char k_fetch_exit[] = "smo:fetch-exit ";
inline constexpr char k_no_tag[] = "smo:no-tag";

// checkout_overwrites: k_tracked_env and the env files the to-commit tracks,
// k_overwrites and the untracked files it would overwrite, k_overwrites_done.
inline constexpr char k_tracked_env[] = "smo:tracked-env";
inline constexpr char k_overwrites[] = "smo:overwrites";
inline constexpr char k_overwrites_done[] = "smo:overwrites-done";

// `git -C <live> fetch --tags origin` (changes refs, never the working tree).
std::string fetch_tags(const RemotePaths& paths);

// `git -C <live> rev-parse --verify --quiet 'refs/tags/<tag>^{commit}'`
std::string resolve_tag(const RemotePaths& paths, const std::string& tag);

// `git -C <live> cat-file -e '<commit>^{commit}'`: exit 0 when present.
std::string has_commit(const RemotePaths& paths, const std::string& commit);

// fetch_tags, then k_fetch_exit N, then resolve_tag's output or k_no_tag.
std::string fetch_and_resolve_tag(const RemotePaths& paths, const std::string& tag);

// When the to-commit is in the live repository: k_tracked_env and the env
// files the to-commit tracks, then k_overwrites and the untracked files
// (ignored or not) of the live tree at paths the to-commit tracks, then
// k_overwrites_done. Nothing when the commit is absent.
std::string checkout_overwrites(const RemotePaths& paths, const std::string& to_commit,
                                const std::vector<std::string>& env_files);

// Stage 4: fetch_and_resolve_tag, then checkout_overwrites (one round trip).
std::string fetch_and_check_tag(const RemotePaths& paths, const std::string& tag,
                                const std::string& to_commit,
                                const std::vector<std::string>& env_files);

struct TagCheck {
    int fetch_exit = -1;    // -1 when the reply did not say
    std::string tag_commit; // empty when the tag is not on the target
};

TagCheck parse_tag_check(const std::string& out);

// checkout_overwrites' reply.
struct CheckoutOverwrites {
    bool checked = false;                 // the reply ran to its end
    std::vector<std::string> tracked_env; // env files the to-commit tracks
    std::vector<std::string> untracked;   // live untracked files the to-commit tracks
};

CheckoutOverwrites parse_checkout_overwrites(const std::string& out);

} // namespace smo::remote
