#pragma once

#include <optional>
#include <string>
#include <vector>

// The operator's repository (read-only): tags, commits and the migration diff
// for preflight and --plan. The real adapter runs `git` with an argv, never
// through a shell.
namespace smo {

class LocalGit {
  public:
    virtual ~LocalGit() = default;

    // Full commit a tag or commit-ish resolves to (`<rev>^{commit}`).
    virtual std::optional<std::string> resolve_commit(const std::string& rev) = 0;

    // Paths under `dir` added between `base` and `head`
    // (`git diff --name-only --diff-filter=A base head -- dir`).
    virtual std::vector<std::string> added_files(const std::string& base, const std::string& head,
                                                 const std::string& dir) = 0;

    // Tags pointing at `commit`.
    virtual std::vector<std::string> tags_at(const std::string& commit) = 0;

    // Does the tree of `rev` have `path` (file or directory)?
    virtual bool path_exists(const std::string& rev, const std::string& path) = 0;

    // Is `ancestor` an ancestor of `descendant` (or the same commit)? False
    // when either is unknown: `git merge-base --is-ancestor`.
    virtual bool is_ancestor(const std::string& ancestor, const std::string& descendant) = 0;
};

} // namespace smo
