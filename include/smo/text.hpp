#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

// Small text helpers shared by the readers of outside text.
namespace smo::text {

// `text` without leading and trailing spaces, tabs and carriage returns.
inline std::string_view trim(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const std::size_t last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// The 7-character form of a commit that every record and message shows.
inline std::string short_commit(std::string_view commit) {
    return std::string(commit.substr(0, std::min<std::size_t>(7, commit.size())));
}

// An ASCII control character (C0 or DEL): never printed raw, never part of a
// name, a path or a tag.
constexpr bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

// Whether `text` holds one.
inline bool has_control(std::string_view text) {
    return std::any_of(text.begin(), text.end(), is_control);
}

// How every message names a release: "v1.4.1 (b2c5d82)", the tag or the
// short commit alone when only one is known, else `unknown`.
inline std::string release_name(const std::string& tag, const std::string& commit,
                                std::string_view unknown = "an unknown release") {
    if (tag.empty()) {
        return commit.empty() ? std::string(unknown) : short_commit(commit);
    }
    return commit.empty() ? tag : tag + " (" + short_commit(commit) + ")";
}

// `items` with `separator` between them, as a list in a message reads:
// "dist, node_modules". An empty text so far takes no separator, so leading
// empty items leave no stray one.
inline std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += separator;
        }
        out += item;
    }
    return out;
}

} // namespace smo::text
