#include "smo/records/host_table.hpp"

#include "smo/records/render_util.hpp"
#include "smo/text.hpp"

#include <cctype>
#include <fmt/format.h>

namespace smo {

int hosts_on_to_release(const RunReport& report) {
    int count = 0;
    for (const auto& host : report.hosts) {
        count += host.outcome == k_host_switched || host.outcome == k_host_already ? 1 : 0;
    }
    return count;
}

std::string hosts_fraction(const RunReport& report) {
    if (report.hosts.empty()) {
        return {};
    }
    return fmt::format("{}/{} hosts", hosts_on_to_release(report), report.hosts.size());
}

std::string render_host_section(const RunReport& report) {
    return report.hosts.empty() ? std::string() : "## Hosts\n\n" + render_host_table(report) + "\n";
}

std::string render_host_table(const RunReport& report) {
    if (report.hosts.empty()) {
        return {};
    }
    std::string out = "| host | from | to | outcome | seconds | served commit | detail |\n";
    out += "|---|---|---|---|---|---|---|\n";
    for (const auto& host : report.hosts) {
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", markdown_cell(host.name),
                           markdown_cell(short_commit(host.from_commit)),
                           markdown_cell(short_commit(host.to_commit)), markdown_cell(host.outcome),
                           format_seconds(host.seconds),
                           markdown_cell(host.served_commit.empty()
                                             ? std::string("unknown")
                                             : short_commit(host.served_commit)),
                           markdown_cell(host.detail));
    }
    return out;
}

std::string hosts_line(const RunReport& report) {
    std::string out;
    for (const auto& host : report.hosts) {
        out += (out.empty() ? "" : "; ") + host.name + " " + host.outcome;
        if (!host.detail.empty() && host.outcome != k_host_switched) {
            out += " (" + host.detail + ")";
        }
    }
    return one_line(out);
}

namespace {

constexpr std::size_t k_max_host_rows = 64;
constexpr std::size_t k_host_columns = 7;

// "| a | b \| c |" → {"a", "b | c"}: split on unescaped pipes, unescape.
std::vector<std::string> table_cells(std::string_view line) {
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
            cell += '|';
            ++i;
        } else if (line[i] == '|') {
            cells.emplace_back(text::trim(cell));
            cell.clear();
        } else {
            cell += line[i];
        }
    }
    return cells;
}

std::string hex_or_empty(const std::string& commit) {
    const bool hex = commit.size() >= 7 && commit.size() <= 40 &&
                     std::all_of(commit.begin(), commit.end(), [](char c) {
                         return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                     });
    return hex ? commit : std::string();
}

} // namespace

std::vector<RecordedHost> parse_host_section(std::string_view record) {
    std::vector<RecordedHost> hosts;
    const std::size_t section = record.starts_with("## Hosts\n") ? 0 : record.find("\n## Hosts\n");
    if (section == std::string_view::npos) {
        return hosts;
    }
    std::size_t at = record.find('\n', section + 1) + 1;
    while (at < record.size() && hosts.size() < k_max_host_rows) {
        const std::size_t end = std::min(record.find('\n', at), record.size());
        const std::string_view line = record.substr(at, end - at);
        at = end + 1;
        if (line.empty() && hosts.empty()) {
            continue; // the blank line after the heading
        }
        if (!line.starts_with("|")) {
            break;
        }
        const auto cells = table_cells(line);
        if (cells.size() != k_host_columns || cells[0] == "host" || cells[0].starts_with("---") ||
            text::has_control(line)) {
            continue;
        }
        hosts.push_back({cells[0], hex_or_empty(cells[1]), hex_or_empty(cells[2]), cells[3],
                         hex_or_empty(cells[5])});
    }
    return hosts;
}

} // namespace smo
