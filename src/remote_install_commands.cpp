#include "smo/remote_install_commands.hpp"

#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

namespace smo::remote {
namespace {

std::string q(const std::string& word) {
    return shell_quote(word);
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

std::string package_probe(const RemotePaths& paths, const std::string& from_commit,
                          const std::string& to_commit) {
    const std::string modules = q(paths.live + "/node_modules");
    std::string script = "if [ -d " + modules + " ]; then echo smo:modules; (cd " + modules +
                         " && for d in * @*/*; do [ -d \"$d\" ] && echo \"smo:has $d\"; done); "
                         "fi\n";
    for (const auto& [side, commit] : {std::pair<std::string, std::string>{"from", from_commit},
                                       std::pair<std::string, std::string>{"to", to_commit}}) {
        for (const std::string file : {"package.json", "package-lock.json"}) {
            script += "echo " + q("smo:file " + side + " " + file) + "; git -C " + q(paths.live) +
                      " show " + q(commit + ":" + file) +
                      " 2>/dev/null || echo smo:no-file; echo\n";
        }
    }
    return script + "echo smo:end";
}

PackageProbe parse_package_probe(const std::string& out) {
    PackageProbe probe;
    std::optional<std::string>* current = nullptr;
    for (const auto& line : raw_lines(out)) {
        if (line == "smo:end") {
            probe.complete = true;
            current = nullptr;
        } else if (line == "smo:modules") {
            probe.live_modules = true;
        } else if (starts_with(line, "smo:has ")) {
            probe.installed.push_back(line.substr(8));
        } else if (starts_with(line, "smo:file ")) {
            const std::string which = line.substr(9);
            PackageFiles& files = starts_with(which, "from ") ? probe.from : probe.to;
            current = which.size() > 5 && which.substr(which.find(' ') + 1) == "package.json"
                          ? &files.package_json
                          : &files.package_lock;
            *current = std::string();
        } else if (line == "smo:no-file" && current != nullptr) {
            current->reset();
            current = nullptr;
        } else if (current != nullptr) {
            **current += line + "\n";
        }
    }
    return probe;
}

std::string prune_dev_dependencies(const RemotePaths& paths) {
    return "cd " + q(paths.staging) + " && npm prune --omit=dev";
}

} // namespace smo::remote
