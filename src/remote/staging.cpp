#include "smo/remote/staging.hpp"

#include "script_words.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

#include <algorithm>

namespace smo::remote {
std::string staging_probe(const RemotePaths& paths) {
    return "if [ -e " + q(paths.staging) + " ] || [ -L " + q(paths.staging) + " ]; then echo " +
           k_present + "; fi; echo \"" + k_real + "$(readlink -f " + q(paths.staging) + ")\"; " +
           git_live(paths) + " worktree list --porcelain";
}

StagingProbe parse_staging_probe(const std::string& out, const std::string& staging) {
    StagingProbe probe;
    const std::string real = k_real;
    const std::string worktree = k_worktree;
    std::vector<std::string> names{trim_slashes(staging)};
    for (const auto& line : lines_of(out)) {
        if (line == k_present) {
            probe.present = true;
        } else if (line.starts_with(real) && line.size() > real.size()) {
            names.push_back(trim_slashes(line.substr(real.size())));
        } else if (line.starts_with(worktree)) {
            const std::string path = trim_slashes(line.substr(worktree.size()));
            if (std::find(names.begin(), names.end(), path) != names.end()) {
                probe.registered = true;
            }
        }
    }
    return probe;
}

std::string remove_staging(const RemotePaths& paths) {
    require_under_work_root(paths, paths.staging, "staging worktree");
    // Prune first: an entry whose directory is already gone goes quietly;
    // a directory that is there and will not go is an error worth a warning.
    // A warm standby's manifest (docs/prepare.md) goes with its worktree.
    return prune_worktrees(paths) + " && if [ -e " + q(paths.staging) + " ]; then " +
           git_live(paths) + " worktree remove --force " + q(paths.staging) + "; fi && rm -f -- " +
           q(paths.staging + ".prepared");
}

std::string prune_worktrees(const RemotePaths& paths) {
    return git_live(paths) + " worktree prune";
}

std::string add_staging(const RemotePaths& paths, const std::string& to_commit) {
    return ensure_work_area(paths) + " && " + git_live(paths) + " worktree add --detach " +
           q(paths.staging) + " " + q(to_commit);
}

std::string link_env_files(const RemotePaths& paths, const std::vector<std::string>& env_files) {
    std::string script;
    for (const auto& name : env_files) {
        const std::string live = q(paths.live + "/" + name);
        const std::string staged = q(paths.staging + "/" + name);
        if (!script.empty()) {
            script += " && ";
        }
        script += "if [ -e " + live + " ] && [ ! -e " + staged + " ] && [ ! -L " + staged +
                  " ]; then ln -s " + live + " " + staged + " && echo " + q(name) + "; fi";
    }
    return script.empty() ? std::string("true") : script;
}

std::string stage_release(const RemotePaths& paths, const std::string& to_commit,
                          const std::vector<std::string>& env_files) {
    return add_staging(paths, to_commit) + " && " + link_env_files(paths, env_files);
}

} // namespace smo::remote
