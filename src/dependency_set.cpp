#include "smo/dependency_set.hpp"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace smo {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 4> k_dependency_keys = {"dependencies", "devDependencies",
                                                          "optionalDependencies", "overrides"};

// The parsed object, json() for a missing file, nullopt for one that is not
// a JSON object.
std::optional<json> parse_object(const std::optional<std::string>& text) {
    if (!text) {
        return json();
    }
    json parsed = json::parse(*text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return std::nullopt;
    }
    return parsed;
}

} // namespace

std::optional<std::string> dependency_set(const PackageFiles& files) {
    const auto package = parse_object(files.package_json);
    auto lock = parse_object(files.package_lock);
    if (!package || !lock) {
        return std::nullopt;
    }
    json set = json::object();
    for (const char* key : k_dependency_keys) {
        if (package->is_object() && package->contains(key)) {
            set["package"][key] = (*package)[key];
        }
    }
    if (lock->is_object()) {
        lock->erase("name");
        lock->erase("version");
        auto packages = lock->find("packages");
        if (packages != lock->end() && packages->is_object() && packages->contains("") &&
            (*packages)[""].is_object()) {
            (*packages)[""].erase("name");
            (*packages)[""].erase("version");
        }
        set["lock"] = *lock;
    } else {
        set["lock"] = nullptr;
    }
    // nlohmann's objects are sorted maps: dump() is canonical.
    return set.dump();
}

bool has_no_dependencies(const PackageFiles& files) {
    const auto package = parse_object(files.package_json);
    if (!package || !package->is_object()) {
        return false; // unknown: let the install decide
    }
    for (const char* key : {"dependencies", "devDependencies", "optionalDependencies"}) {
        auto found = package->find(key);
        if (found != package->end() && !(found->is_object() && found->empty())) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> dev_dependency_names(const PackageFiles& files) {
    std::vector<std::string> names;
    const auto package = parse_object(files.package_json);
    if (!package || !package->is_object()) {
        return names;
    }
    auto dev = package->find("devDependencies");
    if (dev != package->end() && dev->is_object()) {
        for (const auto& item : dev->items()) {
            names.push_back(item.key());
        }
    }
    return names;
}

std::string stable_hash(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex(16, '0');
    for (int i = 15; i >= 0; --i) {
        hex[static_cast<std::size_t>(i)] = k_digits[hash & 15U];
        hash >>= 4U;
    }
    return hex;
}

} // namespace smo
