#include "smo/records/deploy_record.hpp"

#include "record_text.hpp"
#include "smo/records/host_table.hpp"
#include "smo/ref_name.hpp"

#include <cctype>

// parse_deploy_record merges, field by field: front matter, then `**Key:**`
// lines, then the file name. Everything that reaches a DeployEvent has been
// validated: tags against git ref rules (no shell metacharacters), commits as
// hex, dates as YYYY-MM-DD.
namespace smo {
namespace {

using records::RecordFields;

// Front matter and the key lines sit at the top; a huge file is not read
// further than this.
constexpr std::size_t k_max_scanned_bytes = 256 * 1024;

std::optional<std::string> first_of(const std::optional<std::string>& a,
                                    const std::optional<std::string>& b,
                                    const std::optional<std::string>& c = std::nullopt) {
    return a ? a : (b ? b : c);
}

std::string lowercase(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 60)) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(byte < 0x20 || byte >= 0x7f ? '?' : c);
    }
    return text.size() > 60 ? out + "..." : out;
}

struct Merged {
    RecordFields fields;
    std::optional<std::string> problem;
};

Merged merge(std::string_view file_name, std::string_view text) {
    const records::FrontMatter front = records::read_front_matter(text);
    if (front.present && !front.closed) {
        return {{}, "front matter opened with --- is never closed"};
    }
    const RecordFields& fm = front.fields;
    const RecordFields keys = records::read_key_lines(front.body);
    const RecordFields name = records::read_file_name(file_name);

    RecordFields merged;
    merged.kind = first_of(fm.kind, name.kind);
    merged.date = first_of(fm.date, keys.date, name.date);
    merged.deployed_at = first_of(fm.deployed_at, keys.deployed_at);
    merged.env = first_of(fm.env, keys.env);
    merged.tag = first_of(fm.tag, keys.tag, name.tag);
    merged.commit = first_of(fm.commit, keys.commit);
    merged.status = first_of(fm.status, keys.status);
    merged.health = first_of(fm.health, keys.health);
    merged.from_tag = first_of(fm.from_tag, name.from_tag);
    merged.to_tag = first_of(fm.to_tag, name.to_tag);
    merged.to_commit = fm.to_commit;
    merged.outcome = fm.outcome;
    merged.rolled_back_section = keys.rolled_back_section;
    return {merged, std::nullopt};
}

// deployed_at is only used for ordering: a value that is not an ISO-8601-ish
// timestamp is dropped rather than trusted.
std::string clean_timestamp(const std::optional<std::string>& value) {
    if (!value || value->size() < 10 || !records::is_valid_date(value->substr(0, 10)) ||
        value->size() > 40 ||
        value->find_first_not_of("0123456789-:TZtz.+ ") != std::string::npos) {
        return {};
    }
    return *value;
}

bool deploy_successful(const RecordFields& fields) {
    if (fields.rolled_back_section) {
        return false;
    }
    if (fields.status) {
        return records::classify_status(*fields.status).value_or(false);
    }
    if (fields.health) {
        return records::classify_health(*fields.health).value_or(false);
    }
    return true; // a record with nothing said: /smo-deploy writes it when it went live
}

std::variant<DeployEvent, RecordProblem> judge(std::string_view file_name,
                                               const RecordFields& fields) {
    const auto problem = [&](const std::string& reason) {
        return RecordProblem{std::string(file_name), reason};
    };
    DeployEvent event;
    event.file = std::string(file_name);
    const std::string kind = fields.kind.value_or("deploy");
    if (kind != "deploy" && kind != "rollback") {
        return problem("unknown kind \"" + printable(kind) + "\"");
    }
    event.kind = kind == "rollback" ? EventKind::rollback : EventKind::deploy;
    event.deployed_at = clean_timestamp(fields.deployed_at);
    event.date = fields.date.value_or(event.deployed_at);
    if (event.date.size() > 10 && (event.date[10] == 'T' || event.date[10] == ' ')) {
        event.date.resize(10); // a timestamp given as the date
    }
    if (!records::is_valid_date(event.date)) {
        return problem(event.date.empty()
                           ? "no date: the name is not YYYY-MM-DD-{tag}.md and "
                             "no front matter says"
                           : "date \"" + printable(event.date) + "\" is not YYYY-MM-DD");
    }
    event.env = fields.env.value_or("");
    const std::optional<std::string> tag =
        event.kind == EventKind::rollback ? first_of(fields.to_tag, fields.tag) : fields.tag;
    event.tag = tag.value_or("");
    if (event.tag.empty()) {
        return problem("no tag in front matter, **Tag:** line or file name");
    }
    if (!is_valid_tag_name(event.tag)) {
        return problem("tag \"" + printable(event.tag) + "\" is not a valid git tag name");
    }
    if (event.kind == EventKind::rollback) {
        event.from_tag = fields.from_tag.value_or("");
        if (!event.from_tag.empty() && !is_valid_tag_name(event.from_tag)) {
            return problem("from_tag \"" + printable(event.from_tag) +
                           "\" is not a valid git tag name");
        }
    }
    const auto commit = event.kind == EventKind::rollback
                            ? first_of(fields.to_commit, fields.commit)
                            : fields.commit;
    event.commit = lowercase(commit.value_or(""));
    if (!event.commit.empty() && !is_valid_commit(event.commit)) {
        return problem("commit \"" + printable(event.commit) + "\" is not 7 to 40 hex digits");
    }
    if (event.kind == EventKind::rollback) {
        event.outcome = lowercase(first_of(fields.outcome, fields.status).value_or(""));
        event.successful = event.outcome == "success";
    } else {
        event.successful = deploy_successful(fields);
    }
    return event;
}

} // namespace

bool rollback_switched(const DeployEvent& event) {
    return event.kind == EventKind::rollback &&
           (event.outcome.empty() || event.outcome == "success" || event.outcome == "sev1");
}

std::variant<DeployEvent, RecordProblem> parse_deploy_record(std::string_view file_name,
                                                             std::string_view text) {
    const Merged merged = merge(file_name, text.substr(0, k_max_scanned_bytes));
    if (merged.problem) {
        return RecordProblem{std::string(file_name), *merged.problem};
    }
    auto judged = judge(file_name, merged.fields);
    if (auto* event = std::get_if<DeployEvent>(&judged)) {
        event->hosts = parse_host_section(text.substr(0, k_max_scanned_bytes));
    }
    return judged;
}

} // namespace smo
