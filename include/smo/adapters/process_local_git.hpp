#pragma once

#include "smo/ports/local_git.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace smo {

// The operator's repository through the `git` program: spawned with an argv
// (never a shell), stdin from /dev/null, in its own process group, killed
// after `timeout`. A rev that starts with '-' is never passed on (it would be
// read as an option).
//
// resolve_commit answers nullopt and tags_at/path_exists answer empty/false
// when git says no. added_files throws Error (exit 5) when git fails: an empty
// answer would wrongly open the migration gate. Any call throws Error when git
// cannot be started or times out.
class ProcessLocalGit : public LocalGit {
  public:
    explicit ProcessLocalGit(std::string repo_dir,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30),
                             std::string git_program = "git");

    std::optional<std::string> resolve_commit(const std::string& rev) override;
    std::vector<std::string> added_files(const std::string& base, const std::string& head,
                                         const std::string& dir) override;
    std::vector<std::string> tags_at(const std::string& commit) override;
    bool path_exists(const std::string& rev, const std::string& path) override;
    bool is_ancestor(const std::string& ancestor, const std::string& descendant) override;

  private:
    struct Output {
        int exit_status = 0;
        std::string out;
        std::string err;
    };

    Output run(const std::vector<std::string>& arguments) const;

    std::string m_repo_dir;
    std::chrono::milliseconds m_timeout;
    std::string m_git_program;
};

} // namespace smo
