#include "smo/migrations.hpp"

#include <algorithm>
#include <string_view>

namespace smo {
namespace {

bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

std::string name_of(std::string_view path) {
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    const std::size_t slash = path.rfind('/');
    const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash);
    for (const std::string_view generic : {"up.sql", "down.sql", "migration.sql"}) {
        if (file == generic && !dir.empty()) {
            return name_of(dir);
        }
    }
    std::string_view stem = file;
    if (const std::size_t dot = stem.rfind('.'); dot != std::string_view::npos && dot > 0) {
        stem = stem.substr(0, dot);
    }
    // The up/down halves of one migration (`.up.sql`/`.down.sql`: golang-migrate,
    // node-pg-migrate's SQL files). Not `_up`: "003_set_up" is a name.
    for (const std::string_view half : {".up", ".down"}) {
        if (ends_with(stem, half) && stem.size() > half.size()) {
            stem.remove_suffix(half.size());
            break;
        }
    }
    return std::string(stem);
}

} // namespace

std::vector<std::string> migration_names(const std::vector<std::string>& files) {
    std::vector<std::string> names;
    for (const std::string& file : files) {
        std::string name = name_of(file);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(std::move(name));
        }
    }
    return names;
}

std::string describe_migrations(const std::vector<std::string>& files) {
    const std::vector<std::string> names = migration_names(files);
    std::string text =
        std::to_string(names.size()) + (names.size() == 1 ? " migration (" : " migrations (");
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "" : ", ") + names[i];
    }
    return text + ")";
}

} // namespace smo
