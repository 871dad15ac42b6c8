#include "smo/records/csv.hpp"

#include <catch2/catch.hpp>

using smo::csv_field;
using smo::csv_join;
using smo::CsvRow;
using smo::parse_csv;
using smo::parse_csv_line;

TEST_CASE("csv fields are quoted only when they must be", "[csv]") {
    CHECK(csv_field("v1.4.2") == "v1.4.2");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
    CHECK(csv_field(" padded") == "\" padded\"");
    CHECK(csv_field("padded ") == "\"padded \"");
    CHECK(csv_field("in the middle") == "in the middle");
}

TEST_CASE("csv rows join with commas and no line end", "[csv]") {
    CHECK(csv_join({"a", "b,c", "", "d\"e"}) == "a,\"b,c\",,\"d\"\"e\"");
    CHECK(csv_join({}) == "");
    CHECK(csv_join({""}) == "");
}

TEST_CASE("csv parsing reads quoted commas, doubled quotes and newlines in quotes", "[csv]") {
    const auto rows = parse_csv("a,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x,\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == CsvRow{"a", "b,c", "say \"hi\""});
    CHECK(rows[1] == CsvRow{"two\nlines", "x", ""});
}

TEST_CASE("csv parsing accepts CRLF, no final line end and blank lines", "[csv]") {
    const auto rows = parse_csv("h1,h2\r\n1,2\r\n\r\n3,4");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == CsvRow{"h1", "h2"});
    CHECK(rows[1] == CsvRow{"1", "2"});
    CHECK(rows[2] == CsvRow{"3", "4"});
    CHECK(parse_csv("").empty());
    CHECK(parse_csv("\n\n").empty());
}

TEST_CASE("csv quoting round-trips awkward values", "[csv]") {
    const CsvRow awkward{"plain", "comma, here", "\"quoted\"", "line\nbreak",
                         "",      " lead",       "crlf\r\nin", "ünïcödé → ok"};
    const auto rows = parse_csv(csv_join(awkward) + "\r\n" + csv_join(awkward) + "\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == awkward);
    CHECK(rows[1] == awkward);
}

TEST_CASE("csv first line stops at the first record end outside quotes", "[csv]") {
    CHECK(parse_csv_line("a,\"b\nc\",d\nnext,row\n") == CsvRow{"a", "b\nc", "d"});
    CHECK(parse_csv_line("").empty());
    CHECK(parse_csv_line("only") == CsvRow{"only"});
}

TEST_CASE("csv unterminated quote runs to the end of the text", "[csv]") {
    CHECK(parse_csv("a,\"open\nstill open") == std::vector<CsvRow>{{"a", "open\nstill open"}});
}

TEST_CASE("csv cells that a spreadsheet would run as a formula get a quote in front", "[csv]") {
    CHECK(csv_field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(csv_field("+1") == "'+1");
    CHECK(csv_field("-2+3") == "'-2+3");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("v1.4.2") == "v1.4.2");
    CHECK(csv_field("a=b") == "a=b");
    // Read back, the value is what was written.
    const CsvRow row{"=cmd|' /C calc'!A0", "-x", "plain"};
    CHECK(parse_csv_line(csv_join(row)) == row);
}
