#pragma once

#include "smo/errors.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

// Internal to config.cpp: walking project.json with the JSON path at hand, so
// that every error can say file, path and what was expected.
namespace smo::config_json {

using nlohmann::json;

class Reader {
  public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& message) const {
        throw ConfigError(fmt::format("{}: {}: {}", m_file, path, message));
    }

    [[noreturn]] void expected(const std::string& path, const std::string& what,
                               const json& got) const {
        fail(path, fmt::format("expected {}, got {}", what, describe(got)));
    }

    static std::string describe(const json& value) {
        std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
        if (text.size() > 80) {
            text = text.substr(0, 77) + "...";
        }
        return text;
    }

  private:
    std::string m_file;
};

// A JSON object and the path that leads to it, for messages.
struct Node {
    const Reader& reader;
    const json& value;
    std::string path;

    std::string child_path(const std::string& key) const {
        return path.empty() ? key : path + "." + key;
    }

    const json* find(const std::string& key) const {
        const auto it = value.find(key);
        return it == value.end() || it->is_null() ? nullptr : &*it;
    }

    Node object(const std::string& key, const json& empty) const {
        const json* found = find(key);
        if (found == nullptr) {
            return Node{reader, empty, child_path(key)};
        }
        if (!found->is_object()) {
            reader.expected(child_path(key), "an object", *found);
        }
        return Node{reader, *found, child_path(key)};
    }

    template <typename Valid>
    std::optional<std::string> string(const std::string& key, const std::string& what,
                                      Valid&& valid) const {
        const json* found = find(key);
        if (found == nullptr) {
            return std::nullopt;
        }
        if (!found->is_string() || !valid(found->get_ref<const std::string&>())) {
            reader.expected(child_path(key), what, *found);
        }
        return found->get<std::string>();
    }

    template <typename Valid>
    std::string required_string(const std::string& key, const std::string& what,
                                Valid&& valid) const {
        std::optional<std::string> text = string(key, what, valid);
        if (!text) {
            reader.fail(child_path(key), "required key is missing; expected " + what);
        }
        return *text;
    }

    std::optional<int> integer(const std::string& key, int low, int high) const {
        const json* found = find(key);
        if (found == nullptr) {
            return std::nullopt;
        }
        const bool in_range =
            (found->is_number_integer() && !found->is_number_unsigned() &&
             found->get<std::int64_t>() >= low && found->get<std::int64_t>() <= high) ||
            (found->is_number_unsigned() && found->get<std::uint64_t>() <= std::uint64_t(high) &&
             std::int64_t(found->get<std::uint64_t>()) >= low);
        if (!in_range) {
            reader.expected(child_path(key), fmt::format("an integer from {} to {}", low, high),
                            *found);
        }
        return static_cast<int>(found->get<std::int64_t>());
    }
};

} // namespace smo::config_json
