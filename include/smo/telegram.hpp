#pragma once

#include "smo/run_report.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The alert (docs/stages.md stage 12): message texts are pure functions of the
// report; sending goes through the HTTP and clock ports, retries within a
// bounded time, and ends in a value — it never throws and decides no exit
// code (a drill's refused token becomes exit 6 by src/drill_rules.cpp).
// The bot token never appears in any text this file produces.
namespace smo {

class HttpClient;
class Clock;
class Stage;

// Reads one environment variable. Injected so that tests never depend on the
// process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// getenv(), for the real program.
EnvLookup process_env_lookup();

inline constexpr const char* k_default_telegram_api = "https://api.telegram.org";

struct TelegramSettings {
    std::string token;                             // TELEGRAM_BOT_TOKEN
    std::string chat_id;                           // telegram.chat_id, else TELEGRAM_CHAT_ID
    std::string api_base = k_default_telegram_api; // SMO_TELEGRAM_API
};

TelegramSettings telegram_settings(const std::string& config_chat_id, const EnvLookup& env);

struct RetryPolicy {
    // Waits before the 2nd, 3rd, 4th attempt after a 5xx or no answer.
    std::vector<std::chrono::milliseconds> backoff{std::chrono::seconds(1), std::chrono::seconds(2),
                                                   std::chrono::seconds(4)};
    // No wait (backoff or retry_after) may end past this much time from the
    // first attempt; each request's timeout is cut to what is left.
    std::chrono::milliseconds budget{std::chrono::seconds(20)};
    std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
    int max_attempts = 6; // 429s count too
};

enum class SendStatus { sent, failed, not_sent };

struct SendResult {
    SendStatus status = SendStatus::not_sent;
    // "sent", "failed: HTTP 500 … (4 attempts)", "not sent: no TELEGRAM_BOT_TOKEN",
    // for getMe "token ok (@bot_name)". Never holds the token.
    std::string text;
    int attempts = 0;

    bool ok() const { return status == SendStatus::sent; }
};

// `text` with the token (and any "bot<digits>:<secret>" path part) replaced by
// "<redacted>" / "bot<redacted>".
std::string redact_token(std::string text, const std::string& token);

// The alert for a finished rollback (per outcome) or the drill verdict.
std::string telegram_message(const RunReport& report);

class TelegramClient {
  public:
    TelegramClient(HttpClient& http, Clock& clock, TelegramSettings settings,
                   RetryPolicy policy = {});

    // Why nothing can be sent ("no TELEGRAM_BOT_TOKEN", "no chat id …"), or
    // nullopt when token and chat id are present and well-formed.
    std::optional<std::string> missing() const;

    // POST {api}/bot{token}/sendMessage {chat_id, text}.
    SendResult send_message(const std::string& text);

    // GET {api}/bot{token}/getMe: is the token accepted? (drills). Needs no
    // chat id.
    SendResult check_token();

  private:
    SendResult call(const std::string& method, const std::string* json_body);
    std::string url(const std::string& method) const;

    HttpClient& m_http;
    Clock& m_clock;
    TelegramSettings m_settings;
    RetryPolicy m_policy;
};

// Stage 12 reading the environment through `env` (tests); make_telegram_stage()
// in stages.hpp uses process_env_lookup().
std::unique_ptr<Stage> make_telegram_stage(EnvLookup env);

} // namespace smo
