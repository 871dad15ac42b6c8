#include "record_text.hpp"

#include "smo/ref_name.hpp"
#include "smo/text.hpp"

#include <array>
#include <cctype>

// Line scanners for deploy records. Records come from other tools and from
// people: every scanner accepts any bytes, never throws on content, and only
// extracts; the judging (valid tag, valid commit) happens in deploy_record.cpp.
namespace smo::records {
namespace {

using text::trim;

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// Calls `visit(line)` for each line; stops when it returns false.
template <typename Visit>
void for_each_line(std::string_view text, Visit&& visit) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (!visit(text.substr(start, end - start), end)) {
            return;
        }
        start = end + 1;
    }
}

// A YAML scalar: "double" (with \" and \\), 'single' (with ''), or plain up
// to a ` #` comment. A quoted scalar that is not closed, or is followed by
// more than a comment, is returned raw, quotes and all: the validation of
// tags and commits then rejects it instead of a truncated reading passing.
std::string yaml_scalar(std::string_view value) {
    value = trim(value);
    if (value.empty() || (value.front() != '"' && value.front() != '\'')) {
        return std::string(trim(value.substr(0, value.find(" #"))));
    }
    const char quote = value.front();
    std::string out;
    std::size_t i = 1;
    for (; i < value.size(); ++i) {
        if (quote == '"' && value[i] == '\\' && i + 1 < value.size()) {
            out.push_back(value[++i]);
        } else if (value[i] == quote && quote == '\'' && i + 1 < value.size() &&
                   value[i + 1] == '\'') {
            out.push_back(value[++i]);
        } else if (value[i] == quote) {
            break;
        } else {
            out.push_back(value[i]);
        }
    }
    const std::string_view after = i < value.size() ? trim(value.substr(i + 1)) : "x";
    if (!after.empty() && after.front() != '#') {
        return std::string(value);
    }
    return out;
}

void set_field(RecordFields& fields, const std::string& key, std::string value) {
    if (value.empty()) {
        return;
    }
    const std::array<std::pair<const char*, std::optional<std::string> RecordFields::*>, 15> keys{{
        {"kind", &RecordFields::kind},
        {"date", &RecordFields::date},
        {"deployed_at", &RecordFields::deployed_at},
        {"started_at", &RecordFields::deployed_at},
        {"env", &RecordFields::env},
        {"environment", &RecordFields::env},
        {"tag", &RecordFields::tag},
        {"commit", &RecordFields::commit},
        {"status", &RecordFields::status},
        {"from_tag", &RecordFields::from_tag},
        {"to_tag", &RecordFields::to_tag},
        {"from_commit", &RecordFields::from_commit},
        {"to_commit", &RecordFields::to_commit},
        {"outcome", &RecordFields::outcome},
        {"health", &RecordFields::health},
    }};
    for (const auto& [name, member] : keys) {
        if (key == name && !(fields.*member)) {
            fields.*member = std::move(value);
            return;
        }
    }
}

bool is_yaml_key_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

void read_front_matter_line(std::string_view line, RecordFields& fields) {
    // Indented lines belong to nested YAML values this reader does not need.
    if (line.empty() || !is_yaml_key_char(line.front())) {
        return;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
        return;
    }
    const std::string_view key = line.substr(0, colon);
    for (const char c : key) {
        if (!is_yaml_key_char(c)) {
            return;
        }
    }
    set_field(fields, lowercase(key), yaml_scalar(line.substr(colon + 1)));
}

// The key of a `**Key:** value` / `**Key**: value` line and the rest.
std::optional<std::pair<std::string, std::string_view>> split_key_line(std::string_view line) {
    line = trim(line);
    if (line.size() > 1 && (line[0] == '-' || line[0] == '*' || line[0] == '>') && line[1] == ' ') {
        line = trim(line.substr(2));
    }
    if (line.substr(0, 2) != "**") {
        return std::nullopt;
    }
    const std::size_t close = line.find("**", 2);
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view key = trim(line.substr(2, close - 2));
    std::string_view rest = line.substr(close + 2);
    if (!key.empty() && key.back() == ':') {
        key.remove_suffix(1);
    } else if (!rest.empty() && rest.front() == ':') {
        rest.remove_prefix(1);
    } else {
        return std::nullopt;
    }
    return std::make_pair(lowercase(trim(key)), trim(rest));
}

// The first word of a `**Key:**` value, out of a markdown code span when it
// is wrapped in one: "`v1.4.2` (hotfix)" → "v1.4.2". Nothing else is removed:
// a stray quote or backtick stays and makes the value invalid.
std::string first_word(std::string_view value) {
    value = trim(value);
    std::string_view word = value.substr(0, value.find_first_of(" \t"));
    if (word.size() >= 2 && word.front() == '`' && word.back() == '`') {
        word = word.substr(1, word.size() - 2);
    }
    return std::string(word);
}

bool word_in(std::string_view word, std::initializer_list<std::string_view> words) {
    for (const std::string_view candidate : words) {
        if (word == candidate) {
            return true;
        }
    }
    return false;
}

} // namespace

FrontMatter read_front_matter(std::string_view text) {
    FrontMatter result;
    result.body = text;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3); // a UTF-8 byte-order mark
    }
    const std::size_t first_end = text.find('\n');
    if (trim(text.substr(0, first_end)) != "---") {
        return result;
    }
    result.present = true;
    if (first_end == std::string_view::npos) {
        return result;
    }
    const std::string_view rest = text.substr(first_end + 1);
    for_each_line(rest, [&](std::string_view line, std::size_t end) {
        const std::string_view trimmed = trim(line);
        if (trimmed == "---" || trimmed == "...") {
            result.closed = true;
            result.body = end < rest.size() ? rest.substr(end + 1) : std::string_view{};
            return false;
        }
        read_front_matter_line(line, result.fields);
        return true;
    });
    return result;
}

RecordFields read_key_lines(std::string_view body) {
    RecordFields fields;
    for_each_line(body, [&](std::string_view line, std::size_t) {
        const std::string lower = lowercase(trim(line).substr(0, 16));
        if (lower.starts_with("## rolled back")) {
            fields.rolled_back_section = true;
            return true;
        }
        const auto key_line = split_key_line(line);
        if (!key_line) {
            return true;
        }
        const auto& [key, value] = *key_line;
        if (key == "target") {
            // "production (eo-prod)": the environment is the first word.
            const std::string_view target = value.substr(0, value.find_first_of(" (\t"));
            set_field(fields, "env", first_word(target));
        } else if (key == "health check" || key == "health") {
            set_field(fields, "health", std::string(value));
        } else if (key == "deployed at" || key == "time") {
            set_field(fields, "deployed_at", std::string(value));
        } else if (key == "tag" || key == "commit" || key == "date" || key == "env" ||
                   key == "environment") {
            set_field(fields, key, first_word(value));
        } else if (key == "status") {
            set_field(fields, key, std::string(value));
        }
        return true;
    });
    return fields;
}

bool is_valid_date(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') {
        return false;
    }
    for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (date[i] < '0' || date[i] > '9') {
            return false;
        }
    }
    const int month = (date[5] - '0') * 10 + (date[6] - '0');
    const int day = (date[8] - '0') * 10 + (date[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

RecordFields read_file_name(std::string_view file_name) {
    RecordFields fields;
    if (file_name.size() < 3 || file_name.substr(file_name.size() - 3) != ".md") {
        return fields;
    }
    const std::string_view stem = file_name.substr(0, file_name.size() - 3);
    if (stem.size() < 12 || !is_valid_date(stem.substr(0, 10)) || stem[10] != '-') {
        return fields;
    }
    fields.date = std::string(stem.substr(0, 10));
    const std::string_view rest = stem.substr(11);
    const std::size_t to = rest.find("-to-");
    if (!rest.starts_with("rollback-") || to == std::string_view::npos || to < 9) {
        fields.tag = tag_from_file_name(rest);
        return fields;
    }
    fields.kind = "rollback";
    fields.from_tag = tag_from_file_name(rest.substr(9, to - 9));
    std::string_view to_tag = rest.substr(to + 4);
    // A "-2", "-3" … suffix marks a second rollback the same day.
    const std::size_t dash = to_tag.rfind('-');
    if (dash != std::string_view::npos && dash > 0 && dash + 1 < to_tag.size() &&
        to_tag.find_first_not_of("0123456789", dash + 1) == std::string_view::npos) {
        to_tag = to_tag.substr(0, dash);
    }
    fields.to_tag = tag_from_file_name(to_tag);
    return fields;
}

std::optional<bool> classify_status(std::string_view text) {
    if (text.find("\xE2\x9D\x8C") != std::string_view::npos) { // ❌
        return false;
    }
    std::optional<bool> verdict;
    std::string word;
    const std::string lower = lowercase(text) + " ";
    for (const char c : lower) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
            word.push_back(c);
            continue;
        }
        if (word_in(word, {"failed", "fail", "failure", "error", "errored", "rolled_back", "rolled",
                           "rollback", "unhealthy", "halted", "aborted", "sev1", "broken",
                           "timeout", "cancelled", "canceled"})) {
            return false;
        }
        if (word_in(word, {"success", "successful", "succeeded", "ok", "healthy", "deployed",
                           "live", "passed", "pass", "green", "done", "complete", "completed"})) {
            verdict = true;
        }
        word.clear();
    }
    return verdict;
}

std::optional<bool> classify_health(std::string_view text) {
    const std::optional<bool> words = classify_status(text);
    if (words == false) {
        return false;
    }
    const std::string_view trimmed = trim(text);
    if (trimmed.size() >= 3 && std::isdigit(static_cast<unsigned char>(trimmed[0])) != 0 &&
        std::isdigit(static_cast<unsigned char>(trimmed[1])) != 0 &&
        std::isdigit(static_cast<unsigned char>(trimmed[2])) != 0) {
        return trimmed[0] == '2';
    }
    return words;
}

} // namespace smo::records
