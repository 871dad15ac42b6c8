#pragma once

#include "smo/ports/local_git.hpp"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace smo::test {

class FakeLocalGit : public LocalGit {
  public:
    std::optional<std::string> resolve_commit(const std::string& rev) override {
        auto found = commits.find(rev);
        if (found == commits.end()) {
            return std::nullopt;
        }
        return found->second;
    }

    std::vector<std::string> added_files(const std::string& base, const std::string& head,
                                         const std::string& dir) override {
        diff_requests.push_back({base + ".." + head, dir});
        auto found = added.find({base, head});
        return found == added.end() ? std::vector<std::string>{} : found->second;
    }

    std::vector<std::string> tags_at(const std::string& commit) override {
        std::vector<std::string> tags;
        for (const auto& [rev, full] : commits) {
            if (full == commit && rev != commit) {
                tags.push_back(rev);
            }
        }
        return tags;
    }

    bool path_exists(const std::string& rev, const std::string& path) override {
        return paths.count({rev, path}) != 0;
    }

    bool is_ancestor(const std::string& ancestor, const std::string& descendant) override {
        return ancestor == descendant || ancestry.count({ancestor, descendant}) != 0;
    }

    std::map<std::string, std::string> commits;             // tag or sha → full sha
    std::set<std::pair<std::string, std::string>> ancestry; // (ancestor, descendant)
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> added;
    std::set<std::pair<std::string, std::string>> paths; // (rev, path)
    std::vector<std::pair<std::string, std::string>> diff_requests;
};

} // namespace smo::test
