#include "smo/records/host_table.hpp"

#include "smo/records/render_util.hpp"

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

} // namespace smo
