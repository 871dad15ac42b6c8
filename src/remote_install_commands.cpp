#include "smo/remote_install_commands.hpp"

#include "smo/shell_quote.hpp"

namespace smo::remote {
namespace {

std::string q(const std::string& word) {
    return shell_quote(word);
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// Raw lines: file contents keep their empty lines and spaces.
std::vector<std::string> raw_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// The staging path and its physical path, as $S; the live one as $L.
std::string enter_staging(const RemotePaths& paths) {
    return "cd " + q(paths.staging) + " || exit 1\nS=$(pwd -P)\nL=$(cd " + q(paths.live) +
           " && pwd -P)\n";
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

std::string find_baked_paths(const RemotePaths& paths, const std::vector<std::string>& outputs) {
    std::string words;
    for (const auto& output : outputs) {
        words += " " + q(output);
    }
    // grep -I treats a binary file as not matching: what grep finds and -I
    // does not is binary.
    const std::string patterns = " -e " + q(paths.staging) + " -e \"$S\"";
    return enter_staging(paths) + "grep -rlF --exclude-dir=cache --exclude-dir=node_modules" +
           patterns + " --" + words + " 2>/dev/null | while IFS= read -r f; do if grep -qIF" +
           patterns +
           " -- \"$f\"; then echo \"smo:text $f\"; else echo \"smo:binary $f\"; fi; done\n"
           "echo smo:searched";
}

std::string rewrite_baked_paths(const RemotePaths& paths, const std::vector<std::string>& files) {
    // Bytes in, bytes out (latin1 maps each byte to one char): a text file in
    // another encoding is not mangled.
    static const std::string k_script =
        "const fs = require('fs');"
        "const a = process.argv.slice(1);"
        "const b = (s) => Buffer.from(s).toString('latin1');"
        "const pairs = [[b(a[0]), b(a[1])], [b(a[2]), b(a[3])]];"
        "for (const f of a.slice(a.indexOf('--') + 1)) {"
        "  let t = fs.readFileSync(f, 'latin1');"
        "  for (const [from, to] of pairs) { if (from) t = t.split(from).join(to); }"
        "  fs.writeFileSync(f, t, 'latin1');"
        "  console.log('smo:rewrote ' + f);"
        "}";
    std::string words;
    for (const auto& file : files) {
        words += " " + q(file);
    }
    return enter_staging(paths) + "node -e " + q(k_script) + " " + q(paths.staging) + " " +
           q(paths.live) + " \"$S\" \"$L\" --" + words;
}

BakedPaths parse_baked_paths(const std::string& out) {
    BakedPaths baked;
    for (const auto& line : raw_lines(out)) {
        if (starts_with(line, "smo:text ")) {
            baked.text.push_back(line.substr(9));
        } else if (starts_with(line, "smo:binary ")) {
            baked.binary.push_back(line.substr(11));
        }
    }
    return baked;
}

} // namespace smo::remote
