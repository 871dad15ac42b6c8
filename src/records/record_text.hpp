#pragma once

#include <optional>
#include <string>
#include <string_view>

// The raw fields one record offers, before they are judged. Internal to
// src/records: parse_deploy_record merges three of these (front matter, then
// `**Key:** value` lines, then the file name), field by field.
namespace smo::records {

struct RecordFields {
    std::optional<std::string> kind;
    std::optional<std::string> date;
    std::optional<std::string> deployed_at;
    std::optional<std::string> env;
    std::optional<std::string> tag;
    std::optional<std::string> commit;
    std::optional<std::string> status;
    std::optional<std::string> health; // `**Health check:**` text
    std::optional<std::string> from_tag;
    std::optional<std::string> to_tag;
    std::optional<std::string> from_commit;
    std::optional<std::string> to_commit;
    std::optional<std::string> outcome;
    bool rolled_back_section = false; // a `## Rolled back` heading
};

struct FrontMatter {
    bool present = false;
    bool closed = false;
    RecordFields fields;
    std::string_view body; // the text after the closing line (all of it when absent)
};

// YAML front matter as simple `key: value` lines between `---` lines.
FrontMatter read_front_matter(std::string_view text);

// `**Key:** value` (or `**Key**: value`) lines, first of each key wins.
RecordFields read_key_lines(std::string_view body);

// YYYY-MM-DD-{tag}.md or YYYY-MM-DD-rollback-{from}-to-{to}[-N].md.
RecordFields read_file_name(std::string_view file_name);

bool is_valid_date(std::string_view date);

// success/ok/healthy… → true; failed/rolled_back/error… → false; a text that
// names neither → nullopt.
std::optional<bool> classify_status(std::string_view text);

// `200 OK (commit matched)` → true; `FAILED`, `502 …` → false.
std::optional<bool> classify_health(std::string_view text);

} // namespace smo::records
