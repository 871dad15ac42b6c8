#include "smo/remote_replies.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

namespace smo::remote {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.starts_with(prefix);
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
        if (starts_with(line, k_marker_prefix)) {
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
