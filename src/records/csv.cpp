#include "smo/records/csv.hpp"

namespace smo {
namespace {

// A cell a spreadsheet would run as a formula (after any quotes already put
// in front of it): a project name or a reason like "=cmd|..." must stay text.
bool formula_like(std::string_view value) {
    const std::size_t first = value.find_first_not_of('\'');
    return first != std::string_view::npos &&
           std::string_view("=+-@").find(value[first]) != std::string_view::npos;
}

} // namespace

std::string csv_field(std::string_view raw) {
    const std::string guarded = formula_like(raw) ? "'" + std::string(raw) : std::string(raw);
    const std::string_view value = guarded;
    const bool needs_quotes = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                              (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!needs_quotes) {
        return std::string(value);
    }
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_join(const CsvRow& fields) {
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) {
            line += ',';
        }
        line += csv_field(fields[i]);
    }
    return line;
}

namespace {

// A small state machine: `in_quotes` decides whether a comma or a line end
// belongs to the field or ends it.
class CsvParser {
  public:
    explicit CsvParser(std::string_view text) : m_text(text) {}

    std::vector<CsvRow> parse(size_t max_rows) {
        while (m_pos < m_text.size() && m_rows.size() < max_rows) {
            step();
        }
        if (m_started && m_rows.size() < max_rows) {
            end_row();
        }
        return std::move(m_rows);
    }

  private:
    void step() {
        const char c = m_text[m_pos++];
        m_started = true;
        if (m_in_quotes) {
            if (c != '"') {
                m_field += c;
            } else if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                m_field += '"';
                ++m_pos;
            } else {
                m_in_quotes = false;
            }
            return;
        }
        if (c == '"') {
            m_in_quotes = true;
        } else if (c == ',') {
            end_field();
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && m_pos < m_text.size() && m_text[m_pos] == '\n') {
                ++m_pos;
            }
            end_row();
        } else {
            m_field += c;
        }
    }

    // Undoes csv_field's quote in front of a formula-like cell.
    void end_field() {
        if (!m_field.empty() && m_field.front() == '\'' && formula_like(m_field)) {
            m_field.erase(0, 1);
        }
        m_row.push_back(std::move(m_field));
        m_field.clear();
    }

    void end_row() {
        end_field();
        const bool blank = m_row.size() == 1 && m_row.front().empty();
        if (!blank) {
            m_rows.push_back(std::move(m_row));
        }
        m_row.clear();
        m_started = false;
    }

    std::string_view m_text;
    size_t m_pos = 0;
    bool m_in_quotes = false;
    bool m_started = false;
    std::string m_field;
    CsvRow m_row;
    std::vector<CsvRow> m_rows;
};

} // namespace

std::vector<CsvRow> parse_csv(std::string_view text) {
    return CsvParser(text).parse(static_cast<size_t>(-1));
}

CsvRow parse_csv_line(std::string_view text) {
    auto rows = CsvParser(text).parse(1);
    return rows.empty() ? CsvRow{} : std::move(rows.front());
}

} // namespace smo
