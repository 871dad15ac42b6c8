#include "smo/remote_commands.hpp"

#include "remote/script_words.hpp"
#include "smo/shell_quote.hpp"

#include <stdexcept>

namespace smo::remote {
namespace {

std::string join_path(const std::string& dir, const std::string& relative) {
    return dir + "/" + relative;
}

bool strictly_inside(const std::string& path, const std::string& root) {
    return !root.empty() && path.size() > root.size() + 1 &&
           path.compare(0, root.size() + 1, root + "/") == 0 &&
           path.find("/../") == std::string::npos;
}

} // namespace

void require_under_work_root(const RemotePaths& paths, const std::string& path, const char* what) {
    if (path == paths.live || !strictly_inside(path, paths.work_root) ||
        strictly_inside(path, paths.live)) {
        throw std::logic_error(std::string("refusing to remove the ") + what + " " + path +
                               ": not inside " + paths.work_root);
    }
}

// `mkdir -p` under umask 077, then a refusal (status 47) unless the
// directory is a real directory, not a link, owned by the SSH user and
// writable by nobody else: an area someone else controls could hold links
// planted for our rm -rf and mv, or a switch script of theirs. `(exit 47)`
// rather than `exit 47`: a script running it (the switch) journals the failure.
std::string ensure_private_dir(const std::string& dir) {
    const std::string d = q(dir);
    return "(umask 077 && mkdir -p " + d + ") && { if [ -L " + d + " ] || [ ! -d " + d +
           " ] || [ ! -O " + d + " ] || [ -n \"$(find " + d +
           " -maxdepth 0 -perm /022)\" ]; then printf 'smo: refusing the work area %s: it must be "
           "a directory (not a link) owned by %s and writable by nobody else\\n' " +
           d + " \"$(id -un)\" >&2; (exit 47); fi; }";
}

std::string ensure_work_area(const RemotePaths& paths) {
    return ensure_private_dir(parent_of(paths.work_root)) + " && " +
           ensure_private_dir(paths.work_root);
}

std::string run_in(const std::string& dir, const std::string& command_text) {
    return "cd " + q(dir) + " && " + command_text;
}

std::string read_env_files(const RemotePaths& paths, const std::vector<std::string>& env_files) {
    std::string command = "cd " + q(paths.live) + " && cat --";
    for (const std::string& file : env_files) {
        command += " " + q(file);
    }
    return command + " 2>/dev/null; true";
}

// The operator may have put {pm2_name} inside quotes ("pm2 reload
// \"{pm2_name}\""): a quoted word there would keep its quotes. So the quote
// context at the placeholder is tracked, and the word leaves it, goes in
// single-quoted, and reopens it: "…"'name'"…" is one word to sh.
std::string with_pm2_name(const std::string& command_text, const std::string& pm2_name) {
    static const std::string k_placeholder = "{pm2_name}";
    std::string result;
    char quote = 0; // the open quote character, or 0 outside quotes
    for (std::size_t i = 0; i < command_text.size(); ++i) {
        const char c = command_text[i];
        if (command_text.compare(i, k_placeholder.size(), k_placeholder) == 0) {
            const std::string open = quote != 0 ? std::string(1, quote) : std::string();
            result += open + q(pm2_name) + open;
            i += k_placeholder.size() - 1;
            continue;
        }
        result.push_back(c);
        if (c == '\\' && quote != '\'' && i + 1 < command_text.size()) {
            result.push_back(command_text[++i]); // an escaped character changes nothing
        } else if (quote == 0 && (c == '\'' || c == '"')) {
            quote = c;
        } else if (c == quote) {
            quote = 0;
        }
    }
    return result;
}

std::string staging_ignored(const RemotePaths& paths) {
    return "git -C " + q(paths.staging) + " status --porcelain --ignored --untracked-files=normal";
}

std::string read_live_file(const RemotePaths& paths, const std::string& relative) {
    return "cat " + q(join_path(paths.live, relative));
}

std::string pm2_jlist() {
    return "pm2 jlist";
}

bool is_valid_swap_item(const std::string& item) {
    if (item.empty() || item.front() == '/' || item.front() == '-' || item.size() > 1024) {
        return false;
    }
    for (const char c : item) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return false;
        }
    }
    std::size_t start = 0;
    while (start <= item.size()) {
        auto slash = item.find('/', start);
        if (slash == std::string::npos) {
            slash = item.size();
        }
        const std::string component = item.substr(start, slash - start);
        if (component.empty() || component == "." || component == ".." || component == ".git") {
            return false;
        }
        start = slash + 1;
    }
    return true;
}

std::string npm_script_name(const std::string& command_text) {
    for (const std::string prefix : {"npm run ", "npm run-script "}) {
        if (command_text.starts_with(prefix)) {
            std::string rest = command_text.substr(prefix.size());
            const auto space = rest.find(' ');
            rest = rest.substr(0, space);
            return rest;
        }
    }
    return {};
}

std::string release_label(const std::string& tag, const std::string& commit) {
    if (!tag.empty()) {
        return tag;
    }
    if (!commit.empty()) {
        return commit.substr(0, 12);
    }
    return "unknown";
}

RemotePaths paths_for_run(const ProjectConfig& config, const std::string& from_tag,
                          const std::string& from_commit, const std::string& to_tag,
                          const std::string& to_commit, const std::string& stamp) {
    return remote_paths_for(config.env.path, release_label(from_tag, from_commit),
                            release_label(to_tag, to_commit), stamp);
}

} // namespace smo::remote
