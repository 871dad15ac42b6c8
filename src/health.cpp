#include "smo/health.hpp"

#include "smo/ports/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>

namespace smo {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string string_field(const nlohmann::json& object, const char* key) {
    if (!object.contains(key)) {
        return {};
    }
    const auto& value = object[key];
    return value.is_string() ? value.get<std::string>() : value.dump();
}

// Plain-text bodies: `"key": "value"` (broken JSON) or `key=value`.
std::string text_field(std::string_view body, const std::string& key) {
    const std::regex pattern("[\"']?" + key + "[\"']?\\s*[:=]\\s*[\"']?([A-Za-z0-9._-]+)",
                             std::regex::icase);
    std::match_results<std::string_view::const_iterator> match;
    if (std::regex_search(body.begin(), body.end(), match, pattern)) {
        return match[1].str();
    }
    return {};
}

} // namespace

HealthReading parse_health(long http_status, std::string_view body) {
    HealthReading reading;
    reading.answered = true;
    reading.http_status = http_status;
    const auto json = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (!json.is_discarded() && json.is_object()) {
        reading.status = string_field(json, "status");
        reading.commit = string_field(json, "commit");
    } else {
        reading.status = text_field(body, "status");
        reading.commit = text_field(body, "commit");
    }
    reading.commit = lower(reading.commit);
    return reading;
}

HealthReading read_health(HttpClient& http, const std::string& url,
                          std::chrono::milliseconds timeout) {
    const HttpResponse response = http.get(url, timeout);
    if (!response.answered()) {
        HealthReading reading;
        reading.error = response.transport_error;
        return reading;
    }
    return parse_health(response.status, response.body);
}

bool commit_matches(std::string_view reported, std::string_view expected) {
    if (reported.size() < 7 || expected.size() < 7 || !is_hex(reported) || !is_hex(expected)) {
        return false;
    }
    const std::string a = lower(std::string(reported));
    const std::string b = lower(std::string(expected));
    const std::size_t common = std::min(a.size(), b.size());
    return a.compare(0, common, b, 0, common) == 0;
}

bool is_healthy(const HealthReading& reading, std::string_view expected_commit) {
    return reading.answered && reading.http_status == 200 &&
           (reading.status.empty() || lower(reading.status) == "ok") &&
           commit_matches(reading.commit, expected_commit);
}

std::string describe_health(const HealthReading& reading, std::string_view expected_commit) {
    if (!reading.answered) {
        return "no answer: " + reading.error;
    }
    std::string text = std::to_string(reading.http_status);
    if (reading.http_status == 200) {
        text += " OK";
    }
    if (!reading.status.empty() && lower(reading.status) != "ok") {
        return text + " (status \"" + reading.status + "\")";
    }
    if (reading.http_status != 200) {
        return text;
    }
    if (reading.commit.empty()) {
        return text + " (no commit reported)";
    }
    if (commit_matches(reading.commit, expected_commit)) {
        return text + " (commit matched)";
    }
    const std::string expected(expected_commit.substr(0, 7));
    return text + " (commit " +
           reading.commit.substr(0, std::min<std::size_t>(12, reading.commit.size())) +
           ", expected " + expected + ")";
}

} // namespace smo
