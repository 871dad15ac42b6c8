// Sending the alert through the Bot API with bounded retries. Every text that
// leaves this file goes through redact_token(): the token is part of the URL.
#include "smo/telegram.hpp"

#include "smo/ports/clock.hpp"
#include "smo/ports/http_client.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <type_traits>

namespace smo {

EnvLookup process_env_lookup() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

TelegramSettings telegram_settings(const std::string& config_chat_id, const EnvLookup& env) {
    TelegramSettings settings;
    settings.token = env("TELEGRAM_BOT_TOKEN").value_or("");
    settings.chat_id =
        !config_chat_id.empty() ? config_chat_id : env("TELEGRAM_CHAT_ID").value_or("");
    std::string api = env("SMO_TELEGRAM_API").value_or("");
    while (!api.empty() && api.back() == '/') {
        api.pop_back();
    }
    if (!api.empty()) {
        settings.api_base = api;
    }
    return settings;
}

namespace {

void replace_all(std::string& text, const std::string& secret, const std::string& mark) {
    // Search on past the mark: a secret inside "<redacted>" would be found
    // again in it forever.
    for (size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + mark.size())) {
        text.replace(at, secret.size(), mark);
    }
}

} // namespace

std::string redact_token(std::string text, const std::string& token) {
    static const std::string k_mark = "<redacted>";
    if (!token.empty()) {
        replace_all(text, token, k_mark);
        // The secret half alone (after "<bot id>:") is as good as the token:
        // an echo of it with another id must not leak it either.
        const auto colon = token.find(':');
        if (colon != std::string::npos && token.size() - colon - 1 >= 8) {
            replace_all(text, token.substr(colon + 1), k_mark);
        }
    }
    static const std::regex k_bot_path("bot[0-9]+:[A-Za-z0-9_-]+");
    return std::regex_replace(text, k_bot_path, "bot<redacted>");
}

namespace {

// Bot tokens look like "<digits>:<secret>" of URL-safe characters. Anything
// outside that alphabet would change the URL's meaning ("/", "?", "#", "..")
// and is refused rather than sent; stand-ins like "test-token-123" pass.
bool well_formed_token(const std::string& token) {
    static const std::regex k_token("[A-Za-z0-9:_-]+");
    return std::regex_match(token, k_token);
}

// Telegram's limit is 4096 characters; a long failure reason must not make the
// alert bounce. Cut at a UTF-8 character boundary.
std::string within_limit(std::string text) {
    constexpr size_t k_limit = 4000;
    if (text.size() <= k_limit) {
        return text;
    }
    size_t cut = k_limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    text.resize(cut);
    return text + "…";
}

// What one HTTP exchange means for the retry loop.
struct Verdict {
    enum class Kind { done, give_up, retry_backoff, retry_after } kind;
    std::string reason;                // for failures: "HTTP 500: Internal error"
    std::chrono::milliseconds wait{0}; // retry_after only
    nlohmann::json result;             // done: the API's "result"
};

// A field of the expected type, else `fallback`: the API (or something in
// front of it) may answer with any JSON, and json::value() would throw.
template <typename T>
T field(const nlohmann::json& object, const char* key, T fallback) {
    if (!object.is_object()) {
        return fallback;
    }
    const auto found = object.find(key);
    if (found == object.end()) {
        return fallback;
    }
    if constexpr (std::is_same_v<T, std::string>) {
        return found->is_string() ? found->template get<std::string>() : fallback;
    } else if constexpr (std::is_same_v<T, bool>) {
        return found->is_boolean() ? found->template get<bool>() : fallback;
    } else if constexpr (std::is_same_v<T, long>) {
        return found->is_number_integer() ? found->template get<long>() : fallback;
    } else {
        return *found;
    }
}

Verdict judge(const HttpResponse& response) {
    if (!response.answered()) {
        return {Verdict::Kind::retry_backoff, "no answer: " + response.transport_error, {}, {}};
    }
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    const std::string description = field(body, "description", std::string());
    const std::string reason =
        fmt::format("HTTP {}{}", response.status, description.empty() ? "" : ": " + description);
    if (response.status == 429) {
        long seconds = 1;
        seconds = field(field(body, "parameters", nlohmann::json()), "retry_after", 1L);
        return {
            Verdict::Kind::retry_after, reason, std::chrono::seconds(std::max(1L, seconds)), {}};
    }
    if (response.status >= 500) {
        return {Verdict::Kind::retry_backoff, reason, {}, {}};
    }
    if (response.status >= 200 && response.status < 300 && field(body, "ok", false)) {
        return {Verdict::Kind::done, {}, {}, field(body, "result", nlohmann::json::object())};
    }
    return {Verdict::Kind::give_up, reason, {}, {}};
}

} // namespace

TelegramClient::TelegramClient(HttpClient& http, Clock& clock, TelegramSettings settings,
                               RetryPolicy policy)
    : m_http(http), m_clock(clock), m_settings(std::move(settings)), m_policy(std::move(policy)) {}

std::optional<std::string> TelegramClient::missing() const {
    if (m_settings.token.empty()) {
        return "no TELEGRAM_BOT_TOKEN";
    }
    if (!well_formed_token(m_settings.token)) {
        return "TELEGRAM_BOT_TOKEN is malformed (expected letters, digits, ':', '_', '-')";
    }
    if (m_settings.chat_id.empty()) {
        return "no chat id (telegram.chat_id or TELEGRAM_CHAT_ID)";
    }
    return std::nullopt;
}

std::string TelegramClient::url(const std::string& method) const {
    return m_settings.api_base + "/bot" + m_settings.token + "/" + method;
}

SendResult TelegramClient::send_message(const std::string& text) {
    if (auto why = missing()) {
        return {SendStatus::not_sent, "not sent: " + *why, 0};
    }
    const nlohmann::json body{{"chat_id", m_settings.chat_id},
                              {"text", within_limit(redact_token(text, m_settings.token))},
                              {"disable_web_page_preview", true}};
    // The text quotes remote output and the command line, which may hold
    // bytes that are not UTF-8: replace them, never throw (found by the
    // telegram_reply fuzzer).
    const std::string json = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return call("sendMessage", &json);
}

SendResult TelegramClient::check_token() {
    if (m_settings.token.empty() || !well_formed_token(m_settings.token)) {
        return {SendStatus::not_sent, "not checked: " + missing().value_or(""), 0};
    }
    SendResult result = call("getMe", nullptr);
    return result;
}

// 429 waits as long as the API asks; a 5xx or no answer waits per the backoff
// list; any other status is final. No wait may end past the budget, so the
// whole send is bounded whatever the API does.
SendResult TelegramClient::call(const std::string& method, const std::string* json_body) {
    const auto start = m_clock.now();
    const auto deadline = start + m_policy.budget;
    size_t backoff_used = 0;
    SendResult result;
    while (true) {
        ++result.attempts;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - m_clock.now());
        const auto timeout =
            std::clamp(left, std::chrono::milliseconds(1000), m_policy.request_timeout);
        const HttpResponse response = json_body != nullptr
                                          ? m_http.post_json(url(method), *json_body, timeout)
                                          : m_http.get(url(method), timeout);
        Verdict verdict = judge(response);
        if (verdict.kind == Verdict::Kind::done) {
            result.status = SendStatus::sent;
            const std::string name = field(verdict.result, "username", std::string());
            // The username is the API's text too: it goes through redaction.
            const std::string who = name.empty() ? "" : " (@" + name + ")";
            result.text =
                method == "getMe" ? redact_token("token ok" + who, m_settings.token) : "sent";
            return result;
        }
        std::optional<std::chrono::milliseconds> wait;
        if (verdict.kind == Verdict::Kind::retry_after) {
            wait = verdict.wait;
        } else if (verdict.kind == Verdict::Kind::retry_backoff &&
                   backoff_used < m_policy.backoff.size()) {
            wait = m_policy.backoff[backoff_used++];
        }
        const bool in_budget = wait && m_clock.now() + *wait <= deadline;
        if (!wait || !in_budget || result.attempts >= m_policy.max_attempts) {
            result.status = SendStatus::failed;
            const double spent = seconds_between(start, m_clock.now());
            result.text = redact_token(
                fmt::format("failed: {} ({} attempt{} in {:.1f}s{})", verdict.reason,
                            result.attempts, result.attempts == 1 ? "" : "s", spent,
                            wait && !in_budget ? "; next wait would pass the time limit" : ""),
                m_settings.token);
            return result;
        }
        m_clock.sleep_for(*wait);
    }
}

} // namespace smo
