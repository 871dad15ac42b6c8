#include "smo/standby.hpp"

#include "smo/dependency_set.hpp"
#include "smo/text.hpp"

#include <array>
#include <sstream>

namespace smo::standby {
namespace {

const char* const k_header = "smo-prepared 1";

using text::short_commit;

bool is_hex_commit(const std::string& text) {
    return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

std::string render(const Manifest& manifest) {
    std::string text = std::string(k_header) + "\n";
    const std::array<std::pair<const char*, const std::string*>, 6> fields{{
        {"to_tag", &manifest.to_tag},
        {"to_commit", &manifest.to_commit},
        {"from_commit", &manifest.from_commit},
        {"config", &manifest.config_hash},
        {"built_at", &manifest.built_at},
        {"built_by", &manifest.built_by},
    }};
    for (const auto& [key, value] : fields) {
        text += std::string(key) + "=" + *value + "\n";
    }
    for (const auto& output : manifest.outputs) {
        text += "output=" + output + "\n";
    }
    return text;
}

Manifest parse(const std::string& text) {
    Manifest manifest;
    std::istringstream lines(text);
    std::string line;
    if (!std::getline(lines, line) || line != k_header) {
        return manifest;
    }
    while (std::getline(lines, line)) {
        const auto equals = line.find('=');
        if (equals == std::string::npos) {
            continue;
        }
        const std::string key = line.substr(0, equals);
        const std::string value = line.substr(equals + 1);
        if (key == "output") {
            manifest.outputs.push_back(value);
            continue;
        }
        std::string* const field = key == "to_tag"        ? &manifest.to_tag
                                   : key == "to_commit"   ? &manifest.to_commit
                                   : key == "from_commit" ? &manifest.from_commit
                                   : key == "config"      ? &manifest.config_hash
                                   : key == "modules"     ? &manifest.modules_hash
                                   : key == "built_at"    ? &manifest.built_at
                                   : key == "built_by"    ? &manifest.built_by
                                                          : nullptr;
        if (field != nullptr) {
            *field = value;
        }
    }
    manifest.valid = is_hex_commit(manifest.to_commit) && is_hex_commit(manifest.from_commit) &&
                     !manifest.config_hash.empty() && !manifest.modules_hash.empty();
    return manifest;
}

std::string config_hash(const RollbackSettings& rollback) {
    std::string text = std::string(to_string(rollback.strategy)) + "\n" +
                       rollback.commands.install + "\n" + rollback.commands.build + "\n";
    for (const auto& file : rollback.env_files) {
        text += "env " + file + "\n";
    }
    for (const auto& path : rollback.keep) {
        text += "keep " + path + "\n";
    }
    return stable_hash(text);
}

std::optional<std::string> why_not_reusable(const Probe& probe, const Wanted& wanted) {
    const Manifest& manifest = probe.parsed;
    if (!manifest.valid) {
        return std::string("its manifest is unreadable");
    }
    if (!probe.registered) {
        return std::string("its staging worktree is gone");
    }
    if (manifest.to_commit != wanted.to_commit || probe.head != wanted.to_commit) {
        return "it holds " + short_commit(probe.head.empty() ? manifest.to_commit : probe.head) +
               ", not " + short_commit(wanted.to_commit);
    }
    if (manifest.from_commit != wanted.from_commit) {
        return "it was prepared against another live release (" +
               short_commit(manifest.from_commit) + ")";
    }
    if (manifest.config_hash != wanted.config_hash) {
        return std::string("rollback settings (strategy, install, build, env_files or keep) "
                           "changed since");
    }
    if (!probe.clean) {
        return std::string("tracked files in it were changed");
    }
    if (probe.modules_hash != manifest.modules_hash) {
        return std::string("its node_modules changed since it was prepared");
    }
    return std::nullopt;
}

} // namespace smo::standby
