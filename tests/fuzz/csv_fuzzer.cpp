// trend.csv and sla-breaches.csv (docs/record-formats.md) are shared with
// spreadsheets and other tools. The input is an existing file. Promises: no
// exception; every parsed row survives csv_join → parse unchanged; the row
// appended to a file with any header has exactly that header's columns,
// filled by trimmed name, and parses back as the file's last row; a trend row
// with values from the input reads back as written.
#include "fuzz/fuzz_support.hpp"
#include "smo/records/csv.hpp"
#include "smo/records/sla_breach.hpp"
#include "smo/records/trend.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace {

bool is_blank_row(const smo::CsvRow& row) {
    return row.size() == 1 && row.front().empty();
}

void check_round_trip(std::string_view text) {
    const std::vector<smo::CsvRow> rows = smo::parse_csv(text);
    std::string joined;
    for (const smo::CsvRow& row : rows) {
        SMO_FUZZ_CHECK(!row.empty() && !is_blank_row(row));
        SMO_FUZZ_CHECK(smo::parse_csv_line(smo::csv_join(row)) == row);
        joined += smo::csv_join(row) + "\r\n";
    }
    SMO_FUZZ_CHECK(smo::parse_csv(joined) == rows);
}

std::string trimmed(const std::string& text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

smo::RunReport sample_report(std::string_view text) {
    smo::RunReport report;
    const auto [head, rest] = smo::fuzz::split_first_line(text);
    report.project = "eo-mena";
    report.env = "production";
    report.date = "2026-04-19";
    report.started_at_utc = "2026-04-19T03:12:09Z";
    report.from_tag = std::string(head);
    report.to_tag = "v1.4.1";
    report.seconds = 104.6;
    report.sla_seconds = 90;
    report.triggered_by = std::string(rest.substr(0, 200));
    report.log_path = "docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md";
    return report;
}

// Only for a file whose quotes are balanced: in a file that ends inside a
// quoted field any appended line is part of that field.
void check_breach_append(std::string_view text, const smo::RunReport& report) {
    const std::string existing(text);
    const std::string appended = smo::sla_breach_append(report, existing);
    const smo::CsvRow header = smo::parse_csv_line(existing);
    const std::vector<smo::CsvRow> rows = smo::parse_csv(existing + appended);
    SMO_FUZZ_CHECK(!rows.empty());
    if (header.empty()) {
        SMO_FUZZ_CHECK(rows.front() == smo::parse_csv_line(smo::k_sla_breach_header));
    }
    const smo::CsvRow& columns = header.empty() ? rows.front() : header;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::string name = trimmed(columns[i]);
        if (name == "to_tag" || name == "source") {
            SMO_FUZZ_CHECK(rows.back().size() == columns.size());
            SMO_FUZZ_CHECK(rows.back()[i] == (name == "to_tag" ? "v1.4.1" : "smo-rollback"));
        }
    }
}

void check_trend(std::string_view text, const smo::RunReport& report) {
    (void)smo::parse_trend(text);
    const std::string file =
        std::string(smo::k_trend_header) + "\n" + smo::render_trend_row(report);
    const std::vector<smo::TrendRow> rows = smo::parse_trend(file);
    SMO_FUZZ_CHECK(rows.size() == 1);
    SMO_FUZZ_CHECK(rows.front().from_tag == report.from_tag);
    SMO_FUZZ_CHECK(rows.front().triggered_by == report.triggered_by);
    SMO_FUZZ_CHECK(rows.front().sla_seconds == 90 && !rows.front().within_sla);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = smo::fuzz::as_text(data, size);
    smo::fuzz::never_throws([&] {
        check_round_trip(text);
        const smo::RunReport report = sample_report(text);
        const bool balanced = std::count(text.begin(), text.end(), '"') % 2 == 0;
        if (balanced) {
            check_breach_append(text, report);
        }
        check_trend(text, report);
    });
    return 0;
}
