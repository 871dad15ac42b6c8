#include "smo/records/history.hpp"

#include "smo/ports/file_system.hpp"

#include <algorithm>
#include <cctype>
#include <set>

// History order and the choice of the rollback target (docs/records.md). Events
// arrive already validated by parse_deploy_record.
namespace smo {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The next run of digits or of non-digits.
std::string_view next_chunk(std::string_view text, std::size_t& pos) {
    const std::size_t start = pos;
    const bool digits = is_digit(text[pos]);
    while (pos < text.size() && is_digit(text[pos]) == digits) {
        ++pos;
    }
    return text.substr(start, pos - start);
}

int compare_numbers(std::string_view a, std::string_view b) {
    a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
    b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
    if (a.size() != b.size()) {
        return a.size() < b.size() ? -1 : 1;
    }
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

} // namespace

// Semver-ish: digit runs compare as numbers (v1.10.0 > v1.9.0), other runs as
// text, and a tag that continues with '-' after the other ends is a
// pre-release of it (v1.0.0-rc1 < v1.0.0).
int compare_versions(std::string_view a, std::string_view b) {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        const std::string_view x = next_chunk(a, i);
        const std::string_view y = next_chunk(b, j);
        int order = 0;
        if (is_digit(x.front()) && is_digit(y.front())) {
            order = compare_numbers(x, y);
        } else {
            order = x.compare(y) < 0 ? -1 : (x == y ? 0 : 1);
        }
        if (order != 0) {
            return order;
        }
    }
    if (i == a.size() && j == b.size()) {
        return 0;
    }
    if (i == a.size()) {
        return b[j] == '-' ? 1 : -1;
    }
    return a[i] == '-' ? -1 : 1;
}

namespace {

bool event_before(const DeployEvent& a, const DeployEvent& b) {
    if (a.date != b.date) {
        return a.date < b.date;
    }
    if (a.deployed_at != b.deployed_at) {
        return a.deployed_at < b.deployed_at;
    }
    // Same day, no times: a deploy comes before the rollback that left it.
    if (a.kind != b.kind) {
        return a.kind == EventKind::deploy;
    }
    const int order = compare_versions(a.tag, b.tag);
    if (order != 0) {
        return order < 0;
    }
    return a.file < b.file;
}

// A rollback that halted never put its to-tag live.
bool went_live(const DeployEvent& event) {
    return event.kind == EventKind::deploy || rollback_switched(event);
}

bool commits_match(const std::string& a, const std::string& b) {
    const std::size_t shorter = std::min(a.size(), b.size());
    return shorter >= 7 && a.compare(0, shorter, b, 0, shorter) == 0;
}

// Any commit the records know for `tag`, when the chosen event has none.
std::string commit_of(const History& history, const DeployEvent& event) {
    if (!event.commit.empty()) {
        return event.commit;
    }
    for (auto it = history.events.rbegin(); it != history.events.rend(); ++it) {
        if (it->tag == event.tag && !it->commit.empty()) {
            return it->commit;
        }
    }
    return {};
}

bool is_index_name(const std::string& name) {
    std::string lower = name;
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower == "readme.md" || lower == "index.md";
}

} // namespace

History build_history(std::vector<DeployEvent> events, std::vector<RecordProblem> problems,
                      const std::string& env) {
    History history;
    history.problems = std::move(problems);
    for (DeployEvent& event : events) {
        if (event.env.empty() || event.env == env) {
            history.events.push_back(std::move(event));
        }
    }
    std::sort(history.events.begin(), history.events.end(), event_before);
    return history;
}

History load_history(FileSystem& files, const std::string& deploys_dir, const std::string& env) {
    std::vector<DeployEvent> events;
    std::vector<RecordProblem> problems;
    for (const std::string& name : files.list(deploys_dir)) {
        if (name.size() < 3 || name.compare(name.size() - 3, 3, ".md") != 0 ||
            is_index_name(name)) {
            continue;
        }
        const std::optional<std::string> text = files.read(deploys_dir + "/" + name);
        if (!text) {
            problems.push_back({name, "cannot be read"});
            continue;
        }
        auto parsed = parse_deploy_record(name, *text);
        if (auto* event = std::get_if<DeployEvent>(&parsed)) {
            events.push_back(std::move(*event));
        } else {
            problems.push_back(std::get<RecordProblem>(std::move(parsed)));
        }
    }
    return build_history(std::move(events), std::move(problems), env);
}

std::optional<Release> find_current(const History& history, const std::string& running_commit) {
    for (auto it = history.events.rbegin(); it != history.events.rend(); ++it) {
        if (!went_live(*it)) {
            continue;
        }
        const bool match =
            running_commit.empty() ? it->successful : commits_match(it->commit, running_commit);
        if (match) {
            return Release{it->tag, commit_of(history, *it)};
        }
    }
    return std::nullopt;
}

std::optional<Release> find_previous(const History& history, const std::string& current_tag,
                                     const std::function<bool(const DeployEvent&)>& usable) {
    const std::vector<std::string> bad = rolled_back_from(history);
    // Only events before the newest one that put current_tag live count;
    // when the records never mention current_tag, all of them do.
    auto end = history.events.end();
    for (auto it = history.events.begin(); it != history.events.end(); ++it) {
        if (it->tag == current_tag && went_live(*it)) {
            end = it;
        }
    }
    for (auto it = std::make_reverse_iterator(end); it != history.events.rend(); ++it) {
        const bool known_bad = std::find(bad.begin(), bad.end(), it->tag) != bad.end();
        if (it->successful && went_live(*it) && it->tag != current_tag && !known_bad &&
            (!usable || usable(*it))) {
            return Release{it->tag, commit_of(history, *it)};
        }
    }
    return std::nullopt;
}

std::vector<std::string> rolled_back_from(const History& history) {
    std::vector<std::string> tags;
    for (const DeployEvent& event : history.events) {
        if (rollback_switched(event) && !event.from_tag.empty() &&
            std::find(tags.begin(), tags.end(), event.from_tag) == tags.end()) {
            tags.push_back(event.from_tag);
        }
    }
    return tags;
}

} // namespace smo
