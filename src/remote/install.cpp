#include "smo/remote/install.hpp"

#include "script_words.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

#include <optional>
#include <utility>

namespace smo::remote {
std::string package_probe(const RemotePaths& paths, const std::string& from_commit,
                          const std::string& to_commit) {
    const std::string modules = q(paths.live + "/node_modules");
    std::string script = "if [ -d " + modules + " ]; then echo " + m(k_package_modules) + "; (cd " +
                         modules + " && for d in * @*/*; do [ -d \"$d\" ] && echo \"" +
                         m(k_package_has) + "$d\"; done); fi\n";
    for (const auto& [side, commit] : {std::pair<std::string, std::string>{"from", from_commit},
                                       std::pair<std::string, std::string>{"to", to_commit}}) {
        for (const std::string file : {"package.json", "package-lock.json"}) {
            script += "echo " + q(m(k_package_file) + side + " " + file) + "; git -C " +
                      q(paths.live) + " show " + q(commit + ":" + file) + " 2>/dev/null || echo " +
                      m(k_package_no_file) + "; echo\n";
        }
    }
    return script + "echo " + m(k_package_end);
}

PackageProbe parse_package_probe(const std::string& out) {
    PackageProbe probe;
    const std::string has = k_package_has;
    const std::string file = k_package_file;
    std::optional<std::string>* current = nullptr;
    for (const auto& line : raw_lines(out)) {
        if (line == k_package_end) {
            probe.complete = true;
            current = nullptr;
        } else if (line == k_package_modules) {
            probe.live_modules = true;
        } else if (line.starts_with(has)) {
            probe.installed.push_back(line.substr(has.size()));
        } else if (line.starts_with(file)) {
            const std::string which = line.substr(file.size());
            PackageFiles& files = which.starts_with("from ") ? probe.from : probe.to;
            current = which.size() > 5 && which.substr(which.find(' ') + 1) == "package.json"
                          ? &files.package_json
                          : &files.package_lock;
            *current = std::string();
        } else if (line == k_package_no_file && current != nullptr) {
            current->reset();
            current = nullptr;
        } else if (current != nullptr) {
            **current += line + "\n";
        }
    }
    return probe;
}

std::string copy_node_modules(const RemotePaths& paths) {
    return "cp -al " + q(paths.live + "/node_modules") + " " + q(paths.staging + "/node_modules");
}

std::string prune_dev_dependencies(const RemotePaths& paths) {
    return "cd " + q(paths.staging) + " && npm prune --omit=dev";
}

} // namespace smo::remote
