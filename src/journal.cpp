#include "smo/journal.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace smo::journal {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// Full or abbreviated (7+) commits name the same one.
bool same_commit(const std::string& a, const std::string& b) {
    const std::size_t n = std::min(a.size(), b.size());
    return n >= 7 && a.compare(0, n, b, 0, n) == 0;
}

void read_step_line(Journal& journal, const std::string& key, const std::string& value) {
    if (key == "begin") {
        journal.begun.push_back(value);
    } else if (key == "done") {
        journal.done.push_back(value);
    } else if (key == "failed") {
        const auto space = value.rfind(' ');
        journal.failed_step = space == std::string::npos ? value : value.substr(0, space);
        journal.failed_status =
            space == std::string::npos ? 1 : std::atoi(value.c_str() + space + 1);
    } else if (key == "result") {
        journal.result = value;
    } else if (key == "runner") {
        journal.runner = value;
    } else if (key == "closed") {
        journal.closed = value;
    }
}

void read_line(Journal& journal, const std::string& line) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
        return;
    }
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    std::string* const fields[] = {&journal.from_tag,  &journal.from_commit, &journal.to_tag,
                                   &journal.to_commit, &journal.strategy,    &journal.staging,
                                   &journal.aside,     &journal.opened_at,   &journal.holder};
    const char* const names[] = {"from_tag", "from_commit", "to_tag",    "to_commit", "strategy",
                                 "staging",  "aside",       "opened_at", "holder"};
    for (std::size_t i = 0; i < std::size(names); ++i) {
        if (key == names[i]) {
            *fields[i] = value;
            return;
        }
    }
    if (key == "item") {
        journal.items.push_back(value);
        return;
    }
    read_step_line(journal, key, value);
}

void require_one_line(const std::string& value) {
    if (value.find_first_of("\n\r") != std::string::npos) {
        throw std::logic_error("journal value with a line break: " + value);
    }
}

} // namespace

bool Journal::has_done(const std::string& step) const {
    return contains(done, step);
}

bool Journal::cut_short(const std::string& step) const {
    return contains(begun, step) && !has_done(step) && failed_step != step;
}

Journal parse(const std::string& text) {
    Journal journal;
    journal.present = !text.empty();
    std::istringstream lines(text);
    std::string line;
    bool first = true;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (first) {
            journal.valid = line == k_magic;
            first = false;
            continue;
        }
        read_line(journal, line);
    }
    journal.valid = journal.valid && !journal.from_commit.empty() && !journal.to_commit.empty();
    return journal;
}

std::string render_header(const Header& header) {
    std::string text = std::string(k_magic) + "\n";
    const auto add = [&](const char* key, const std::string& value) {
        require_one_line(value);
        text += std::string(key) + "=" + value + "\n";
    };
    add("from_tag", header.from_tag);
    add("from_commit", header.from_commit);
    add("to_tag", header.to_tag);
    add("to_commit", header.to_commit);
    add("strategy", header.strategy);
    add("staging", header.staging);
    add("aside", header.aside);
    for (const auto& item : header.items) {
        add("item", item);
    }
    add("opened_at", header.opened_at);
    add("holder", header.holder);
    return text;
}

ResumeDecision decide(const Journal& journal, const std::string& live_head,
                      const std::optional<std::string>& to_option, bool runner_alive) {
    if (!journal.present || (journal.valid && !journal.closed.empty())) {
        return {Resume::none, {}};
    }
    if (!journal.valid) {
        return {Resume::refuse, "the switch journal cannot be read: check the live tree, "
                                "then move the journal away"};
    }
    const std::string to_name = journal.to_tag.empty() ? journal.to_commit : journal.to_tag;
    if (to_option && *to_option != journal.to_tag) {
        return {Resume::refuse, "an unfinished rollback to " + to_name +
                                    " is on the target: re-run without --to to finish it"};
    }
    if (!same_commit(live_head, journal.from_commit) &&
        !same_commit(live_head, journal.to_commit)) {
        return {Resume::refuse, "the live HEAD " + live_head.substr(0, 7) +
                                    " is neither side of the unfinished rollback to " + to_name +
                                    ": someone changed the target; check it by hand"};
    }
    if (!runner_alive && journal.cut_short("db_rollback")) {
        return {Resume::refuse, "the down migration of the unfinished rollback to " + to_name +
                                    " was cut short: check the schema by hand, then append "
                                    "`done=db_rollback` to the journal and re-run"};
    }
    if (runner_alive) {
        return {Resume::resume, "its switch is still running on the target: following it"};
    }
    if (journal.result == "ok") {
        return {Resume::resume, "its switch completed; verifying health and recording"};
    }
    return {Resume::resume, journal.done.empty()
                                ? std::string("nothing was changed yet")
                                : std::to_string(journal.done.size()) + " step(s) already done"};
}

} // namespace smo::journal
