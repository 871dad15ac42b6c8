#pragma once

#include <string>
#include <string_view>
#include <vector>

// RFC 4180 CSV: the trend and SLA-breach files are shared with spreadsheets and
// other tools, so fields are quoted exactly when they need to be and parsing
// accepts what a spreadsheet writes (quoted commas, doubled quotes, newlines
// inside quotes, CRLF line ends).
namespace smo {

using CsvRow = std::vector<std::string>;

// The field as it goes into a row: quoted (with inner quotes doubled) when it
// holds a comma, a quote, CR or LF, or starts or ends with a space. A value
// that starts with = + - or @ (after any ') gets a ' in front, so that a
// spreadsheet shows it as text instead of running it; parsing removes it.
std::string csv_field(std::string_view value);

// Fields joined by commas, no line ending.
std::string csv_join(const CsvRow& fields);

// Every record of `text`. A trailing line end does not make an empty record;
// blank lines are skipped. An unterminated quote runs to the end of the text.
std::vector<CsvRow> parse_csv(std::string_view text);

// The first record of `text` (empty when there is none).
CsvRow parse_csv_line(std::string_view text);

} // namespace smo
