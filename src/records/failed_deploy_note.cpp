#include "smo/records/failed_deploy_note.hpp"

#include "smo/records/render_util.hpp"

#include <cctype>
#include <fmt/format.h>

namespace smo {

namespace {

bool is_date_prefix(const std::string& name) {
    if (name.size() < 11 || name[4] != '-' || name[7] != '-' || name[10] != '-') {
        return false;
    }
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (std::isdigit(static_cast<unsigned char>(name[i])) == 0) {
            return false;
        }
    }
    return true;
}

constexpr std::string_view k_heading = "## Rolled back";

// An earlier rollback's line can join it only when its section is the last
// one: appended lines land at the end of the file.
bool last_section_is_rolled_back(const std::string& text) {
    size_t last = text.rfind("\n## ");
    if (last != std::string::npos) {
        ++last;
    } else if (text.starts_with("## ")) {
        last = 0;
    } else {
        return false;
    }
    const size_t end = text.find('\n', last);
    std::string_view heading(text.data() + last,
                             (end == std::string::npos ? text.size() : end) - last);
    while (!heading.empty() && (heading.back() == '\r' || heading.back() == ' ')) {
        heading.remove_suffix(1);
    }
    return heading == k_heading;
}

} // namespace

std::optional<std::string> find_failed_deploy_record(const std::vector<std::string>& names,
                                                     const std::string& from_tag) {
    std::optional<std::string> newest;
    const std::string tail = "-" + from_tag + ".md";
    for (const auto& name : names) {
        // Exactly date + "-" + tag + ".md": "2026-04-19-rollback-x-to-v1.md"
        // is longer than that for any tag "v1".
        if (from_tag.empty() || !is_date_prefix(name) || name.size() != 10 + tail.size() ||
            name.compare(10, tail.size(), tail) != 0) {
            continue;
        }
        if (!newest || name > *newest) {
            newest = name;
        }
    }
    return newest;
}

std::optional<std::string> failed_deploy_note(const std::string& existing,
                                              const std::string& rollback_record_name,
                                              const RunReport& report) {
    if (existing.find("(" + rollback_record_name + ")") != std::string::npos) {
        return std::nullopt;
    }
    const std::string line = fmt::format(
        "- {} {} UTC: rolled back to {} by smo-rollback ({}, {}s) — [{}]({})\n", report.date,
        time_of_day(report.started_at_utc), tag_or_unknown(report.to_tag), outcome_of(report),
        format_seconds(report.seconds), rollback_record_name, rollback_record_name);
    std::string out;
    if (!existing.empty() && existing.back() != '\n') {
        out += "\n";
    }
    if (!last_section_is_rolled_back(existing)) {
        out += "\n" + std::string(k_heading) + "\n\n";
    }
    return out + line;
}

} // namespace smo
