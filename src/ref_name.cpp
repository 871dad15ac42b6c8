#include "smo/ref_name.hpp"

#include "smo/text.hpp"

#include <cstddef>

namespace smo {
namespace {

// A tag ends up in file names (YYYY-MM-DD-rollback-{from}-to-{to}.md) and in
// remote command lines; anything longer than a file name is surely not a tag.
constexpr std::size_t k_max_name_length = 200;

// Characters git forbids in ref names, plus everything a shell could give a
// meaning to. Every remote argument is quoted anyway; this is the second wall.
bool is_forbidden_in_tag(unsigned char c) {
    if (text::is_control(static_cast<char>(c)) || c >= 0x80) {
        // Non-ASCII is valid for git but never needed for a release tag, and
        // keeping tags ASCII keeps every later check simple.
        return true;
    }
    switch (c) {
    case ' ':
    case '~':
    case '^':
    case ':':
    case '?':
    case '*':
    case '[':
    case ']':
    case '\\':
    case '$':
    case '`':
    case ';':
    case '&':
    case '|':
    case '<':
    case '>':
    case '(':
    case ')':
    case '\'':
    case '"':
    case '!':
    case '{':
    case '}':
    case '#':
        return true;
    default:
        return false;
    }
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// git check-ref-format: no component is empty, starts with '.' or ends with ".lock".
bool components_are_valid(std::string_view name) {
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t slash = name.find('/', start);
        if (slash == std::string_view::npos) {
            slash = name.size();
        }
        const std::string_view component = name.substr(start, slash - start);
        if (component.empty() || component.front() == '.' || ends_with(component, ".lock")) {
            return false;
        }
        start = slash + 1;
    }
    return true;
}

bool is_hex_lower(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

} // namespace

bool is_valid_tag_name(std::string_view tag) {
    if (tag.empty() || tag.size() > k_max_name_length || tag == "@") {
        return false;
    }
    if (tag.front() == '-' || tag.front() == '.' || tag.back() == '.' || tag.back() == '/') {
        return false;
    }
    for (const char c : tag) {
        if (is_forbidden_in_tag(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    if (tag.find("..") != std::string_view::npos || tag.find("@{") != std::string_view::npos ||
        tag.find("//") != std::string_view::npos) {
        return false;
    }
    return components_are_valid(tag);
}

bool is_valid_pm2_name(std::string_view name) {
    // A leading '-' would be read by pm2 as an option even when quoted.
    if (name.empty() || name.size() > k_max_name_length || name.front() == '-') {
        return false;
    }
    for (const char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool is_valid_commit(std::string_view commit) {
    if (commit.size() < 7 || commit.size() > 40) {
        return false;
    }
    for (const char c : commit) {
        if (!is_hex_lower(c)) {
            return false;
        }
    }
    return true;
}

bool is_valid_remote_path(std::string_view path) {
    if (path.empty() || path.front() != '/' || path.size() > 4096) {
        return false;
    }
    if (text::has_control(path)) {
        return false;
    }
    // No ".." component, and not the root itself: the live tree's parent holds
    // the staging area, so "/" can never be a checkout.
    bool has_component = false;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            slash = path.size();
        }
        const std::string_view component = path.substr(start, slash - start);
        if (component == "..") {
            return false;
        }
        if (!component.empty() && component != ".") {
            has_component = true;
        }
        start = slash + 1;
    }
    return has_component;
}

std::string tag_as_file_name(std::string_view tag) {
    std::string name;
    for (const char c : tag) {
        if (c == '/') {
            name += "%2F";
        } else if (c == '%') {
            name += "%25";
        } else {
            name += c;
        }
    }
    return name;
}

std::string tag_from_file_name(std::string_view name) {
    std::string tag;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const std::string_view rest = name.substr(i, 3);
        if (rest == "%2F" || rest == "%2f") {
            tag += '/';
            i += 2;
        } else if (rest == "%25") {
            tag += '%';
            i += 2;
        } else {
            tag += name[i];
        }
    }
    return tag;
}

} // namespace smo
