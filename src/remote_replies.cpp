#include "smo/remote_replies.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

namespace smo::remote {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.starts_with(prefix);
}

std::string trim_slashes(std::string path) {
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    return path;
}

} // namespace

long to_long(const std::string& text, long fallback) {
    try {
        std::size_t used = 0;
        const long value = std::stol(text, &used);
        return used == text.size() ? value : fallback;
    } catch (const std::exception&) {
        return fallback;
    }
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

std::vector<std::string> raw_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string tail_of(const std::string& text, std::size_t count) {
    const auto lines = lines_of(text);
    std::string joined;
    const std::size_t first = lines.size() > count ? lines.size() - count : 0;
    for (std::size_t i = first; i < lines.size(); ++i) {
        joined += (joined.empty() ? "" : " | ") + lines[i];
    }
    return joined;
}

StagingProbe parse_staging_probe(const std::string& out, const std::string& staging) {
    StagingProbe probe;
    std::vector<std::string> names{trim_slashes(staging)};
    for (const auto& line : lines_of(out)) {
        if (line == "present") {
            probe.present = true;
        } else if (starts_with(line, "real ") && line.size() > 5) {
            names.push_back(trim_slashes(line.substr(5)));
        } else if (starts_with(line, "worktree ")) {
            const std::string path = trim_slashes(line.substr(9));
            if (std::find(names.begin(), names.end(), path) != names.end()) {
                probe.registered = true;
            }
        }
    }
    return probe;
}

std::optional<std::string> text_between(const std::string& out, const std::string& begin,
                                        const std::string& end) {
    const auto first = out.find(begin + "\n");
    const auto last = out.find(end, first == std::string::npos ? 0 : first);
    if (first == std::string::npos || last == std::string::npos) {
        return std::nullopt;
    }
    const auto start = first + begin.size() + 1;
    std::string text = out.substr(start, last - start);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

bool has_marker(const std::string& out, const std::string& marker) {
    const auto lines = lines_of(out);
    return std::find(lines.begin(), lines.end(), marker) != lines.end();
}

std::vector<std::string> lines_after(const std::string& out, const std::string& marker) {
    std::vector<std::string> section;
    bool inside = false;
    for (const auto& line : lines_of(out)) {
        if (starts_with(line, "smo:")) {
            if (inside) {
                break;
            }
            inside = line == marker;
            continue;
        }
        if (inside) {
            section.push_back(line);
        }
    }
    return section;
}

bool is_network_failure(const std::string& output) {
    static const char* const k_signs[] = {"ENOTFOUND",
                                          "EAI_AGAIN",
                                          "ECONNREFUSED",
                                          "ECONNRESET",
                                          "ETIMEDOUT",
                                          "ESOCKETTIMEDOUT",
                                          "EHOSTUNREACH",
                                          "ENETUNREACH",
                                          "ERR_SOCKET_TIMEOUT",
                                          "socket hang up",
                                          "network request to",
                                          "FETCH_ERROR",
                                          "code E429",
                                          "code E500",
                                          "code E502",
                                          "code E503",
                                          "code E504",
                                          "Could not resolve host",
                                          "Connection timed out",
                                          "Connection refused",
                                          "unable to access"};
    for (const char* sign : k_signs) {
        if (output.find(sign) != std::string::npos) {
            return true;
        }
    }
    return false;
}

LiveChecks parse_live_checks(const std::string& out) {
    LiveChecks checks;
    for (const auto& line : lines_of(out)) {
        if (starts_with(line, "smo:missing ")) {
            checks.missing_tools.push_back(line.substr(12));
        }
    }
    checks.status_ok = has_marker(out, "smo:status");
    checks.changes = lines_after(out, "smo:status");
    checks.head_ok = has_marker(out, "smo:head");
    const auto head = lines_after(out, "smo:head");
    checks.head = head.empty() ? std::string() : head.front();
    for (const auto& line : lines_of(out)) {
        if (starts_with(line, "smo:status-failed")) {
            checks.status_ok = false;
        } else if (starts_with(line, "smo:head-failed")) {
            checks.head_ok = false;
        }
    }
    return checks;
}

TagCheck parse_tag_check(const std::string& out) {
    TagCheck check;
    for (const auto& line : lines_of(out)) {
        if (starts_with(line, "smo:fetch-exit ")) {
            check.fetch_exit = static_cast<int>(to_long(line.substr(15), -1));
        }
    }
    const auto after = lines_after(out, "smo:fetch-exit " + std::to_string(check.fetch_exit));
    if (!after.empty() && !has_marker(out, "smo:no-tag")) {
        check.tag_commit = after.front();
    }
    return check;
}

CheckoutOverwrites parse_checkout_overwrites(const std::string& out) {
    CheckoutOverwrites reply;
    reply.checked = has_marker(out, "smo:tracked-env") && has_marker(out, "smo:overwrites") &&
                    has_marker(out, "smo:overwrites-done");
    if (reply.checked) {
        reply.tracked_env = lines_after(out, "smo:tracked-env");
        reply.untracked = lines_after(out, "smo:overwrites");
    }
    return reply;
}

Pm2Process find_pm2_process(const std::string& jlist_out, const std::string& name) {
    Pm2Process process;
    // A daemon started by this very call prints its banner ("[PM2] …") before
    // the JSON: try each line that could open the list until one parses.
    nlohmann::json list;
    std::size_t start = 0;
    while (start < jlist_out.size()) {
        if (jlist_out[start] == '[') {
            list = nlohmann::json::parse(jlist_out.substr(start), nullptr, false);
            if (!list.is_discarded() && list.is_array()) {
                break;
            }
        }
        const auto newline = jlist_out.find('\n', start);
        start = newline == std::string::npos ? jlist_out.size() : newline + 1;
    }
    if (start >= jlist_out.size()) {
        process.error = "pm2 jlist printed no JSON process list";
        return process;
    }
    process.listed = true;
    for (const auto& entry : list) {
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
            entry["name"].get<std::string>() != name) {
            continue;
        }
        process.found = true;
        if (entry.contains("pid") && entry["pid"].is_number_integer()) {
            process.pid = entry["pid"].get<long>();
        }
        if (entry.contains("pm2_env") && entry["pm2_env"].is_object()) {
            const auto& env = entry["pm2_env"];
            if (env.contains("status") && env["status"].is_string()) {
                process.status = env["status"].get<std::string>();
            }
            if (env.contains("restart_time") && env["restart_time"].is_number_integer()) {
                process.restarts = env["restart_time"].get<long>();
            }
            if (env.contains("pm_uptime") && env["pm_uptime"].is_number()) {
                process.started_ms = env["pm_uptime"].get<long long>();
            }
        }
        if (process.status == "online") {
            return process; // cluster mode lists one entry per instance
        }
    }
    return process;
}

} // namespace smo::remote

namespace smo::remote {

StatusProbe parse_status_probe(const std::string& out, const std::string& pm2_name) {
    StatusProbe probe;
    const auto head = lines_after(out, "smo:head");
    if (!head.empty() && !has_marker(out, "smo:head-failed")) {
        probe.head = head.front();
    }
    probe.status_ok = has_marker(out, "smo:status") && !has_marker(out, "smo:status-failed");
    probe.changes = lines_after(out, "smo:status");
    std::string lock_text;
    for (const auto& line : lines_after(out, "smo:lock")) {
        lock_text += line + "\n";
    }
    probe.locked = !lock_text.empty();
    probe.lock = parse_lock_reply(lock_text);
    const auto now = lines_after(out, "smo:now-ms");
    probe.now_ms = now.empty() ? 0 : to_long(now.front(), 0);
    const auto at = out.find("smo:pm2\n");
    probe.pm2 =
        find_pm2_process(at == std::string::npos ? std::string() : out.substr(at + 8), pm2_name);
    return probe;
}

} // namespace smo::remote
