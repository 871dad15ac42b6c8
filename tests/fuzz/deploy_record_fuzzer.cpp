// docs/deploys/*.md written by other tools and people (docs/records.md). The
// first line of the input is the file name, the rest the file. Promises: no
// exception; an event's tags pass is_valid_tag_name, its date is YYYY-MM-DD,
// its commit 7–40 hex digits; a problem's reason is one printable line; the
// history built from the event picks only valid tags; version order is a
// consistent comparison.
#include "fuzz/fuzz_support.hpp"
#include "records/record_text.hpp"
#include "smo/records/deploy_record.hpp"
#include "smo/records/history.hpp"
#include "smo/ref_name.hpp"

#include <string>
#include <variant>

namespace {

int sign(int value) {
    return (value > 0) - (value < 0);
}

bool is_printable_line(const std::string& text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return false;
        }
    }
    return true;
}

void check_event(const smo::DeployEvent& event, std::string_view file_name) {
    SMO_FUZZ_CHECK(event.file == file_name);
    SMO_FUZZ_CHECK(smo::is_valid_tag_name(event.tag));
    SMO_FUZZ_CHECK(event.from_tag.empty() || smo::is_valid_tag_name(event.from_tag));
    SMO_FUZZ_CHECK(event.kind == smo::EventKind::rollback || event.from_tag.empty());
    SMO_FUZZ_CHECK(smo::records::is_valid_date(event.date));
    SMO_FUZZ_CHECK(event.commit.empty() || smo::is_valid_commit(event.commit));
    SMO_FUZZ_CHECK(event.deployed_at.empty() || event.deployed_at.substr(0, 10).size() == 10);

    const std::string env = event.env.empty() ? "production" : event.env;
    const smo::History history = smo::build_history({event}, {}, env);
    SMO_FUZZ_CHECK(history.events.size() == 1);
    if (const auto current = smo::find_current(history, "")) {
        SMO_FUZZ_CHECK(smo::is_valid_tag_name(current->tag));
    }
    if (const auto previous = smo::find_previous(history, "v999999.0.0")) {
        SMO_FUZZ_CHECK(smo::is_valid_tag_name(previous->tag));
    }
    for (const std::string& bad : smo::rolled_back_from(history)) {
        SMO_FUZZ_CHECK(smo::is_valid_tag_name(bad));
    }
    const std::string& other = event.from_tag.empty() ? event.date : event.from_tag;
    SMO_FUZZ_CHECK(smo::compare_versions(event.tag, event.tag) == 0);
    SMO_FUZZ_CHECK(sign(smo::compare_versions(event.tag, other)) ==
                   -sign(smo::compare_versions(other, event.tag)));
}

// The scanners behind parse_deploy_record, each on its own.
void scan(std::string_view file_name, std::string_view text) {
    const smo::records::FrontMatter front = smo::records::read_front_matter(text);
    SMO_FUZZ_CHECK(front.body.empty() ||
                   (front.body.data() >= text.data() &&
                    front.body.data() + front.body.size() <= text.data() + text.size()));
    (void)smo::records::read_key_lines(front.body);
    const smo::records::RecordFields name = smo::records::read_file_name(file_name);
    SMO_FUZZ_CHECK(!name.date || smo::records::is_valid_date(*name.date));
    (void)smo::records::classify_status(text);
    (void)smo::records::classify_health(text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const smo::fuzz::Split input = smo::fuzz::split_first_line(smo::fuzz::as_text(data, size));
    const std::string_view file_name = input.head;
    const std::string_view text = input.rest;
    smo::fuzz::never_throws([&] {
        scan(file_name, text);
        const auto parsed = smo::parse_deploy_record(file_name, text);
        if (const auto* event = std::get_if<smo::DeployEvent>(&parsed)) {
            check_event(*event, file_name);
        } else {
            const auto& problem = std::get<smo::RecordProblem>(parsed);
            SMO_FUZZ_CHECK(problem.file == file_name);
            SMO_FUZZ_CHECK(!problem.reason.empty() && is_printable_line(problem.reason));
        }
    });
    return 0;
}
