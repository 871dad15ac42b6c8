#include "smo/records/incident.hpp"

namespace smo {

namespace {

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() &&
           text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

std::string choose_incident(const std::optional<std::string>& option, const std::string& today,
                            const std::vector<std::string>& incident_names) {
    if (option && !option->empty()) {
        return *option;
    }
    const std::string prefix = today + "-";
    const std::string* newest = nullptr;
    for (const auto& name : incident_names) {
        if (today.empty() || !name.starts_with(prefix) || !ends_with(name, ".md") ||
            name.size() <= prefix.size() + 3) {
            continue;
        }
        if (newest == nullptr || name > *newest) {
            newest = &name;
        }
    }
    return newest == nullptr ? std::string(k_incident_pending) : "docs/incidents/" + *newest;
}

} // namespace smo
