#pragma once

#include "smo/remote/paths.hpp"
#include "smo/shell_quote.hpp"

#include <string>

// The words every script module of src/remote/ builds its scripts from:
// quoting, markers as strings, git in the live tree, path pieces.
namespace smo::remote {

// One shell word, quoted (every remote word goes through shell_quote).
inline std::string q(const std::string& word) {
    return shell_quote(word);
}

// A k_ marker constant as a string, to concatenate.
inline std::string m(const char* marker) {
    return marker;
}

inline std::string git_live(const RemotePaths& paths) {
    return "git -C " + q(paths.live);
}

// "/a/b" → "/a"; "/a" and "a" → "/".
inline std::string parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

// "dist///" → "dist"; "/" stays.
inline std::string trim_slashes(std::string path) {
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    return path;
}

} // namespace smo::remote
