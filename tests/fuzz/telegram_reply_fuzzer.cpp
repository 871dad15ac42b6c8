// The Bot API's replies (docs/alerts.md), through the real client with the
// fake HTTP client and clock of tests/support. The first line of the input
// holds the HTTP statuses of successive replies ("429 500 200"; the last one
// repeats), the rest is every reply's body, with "{token}" replaced by the
// bot token. Promises: no exception; the attempts and the waits stay within
// the retry policy; no text the client returns holds the token; "sent" only
// after a 2xx with "ok": true. redact_token ends and leaves no token behind.
#include "fuzz/fuzz_support.hpp"
#include "smo/telegram.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_http_client.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

constexpr const char* k_token = "123456:AAH-test_token";

std::vector<long> statuses_of(std::string_view head) {
    std::vector<long> statuses;
    const char* at = head.data();
    const char* end = head.data() + head.size();
    while (at < end && statuses.size() < 8) {
        long status = 0;
        const auto [next, error] = std::from_chars(at, end, status);
        if (error == std::errc()) {
            statuses.push_back(status);
        }
        at = next == at ? at + 1 : next;
    }
    if (statuses.empty()) {
        statuses.push_back(200);
    }
    return statuses;
}

std::string with_token(std::string_view body) {
    std::string text(body);
    const std::string placeholder = "{token}";
    for (std::size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + 1)) {
        text.replace(at, placeholder.size(), k_token);
    }
    return text;
}

void check_result(const smo::SendResult& result, const smo::test::FakeHttpClient& http,
                  const smo::test::FakeClock& clock, const smo::RetryPolicy& policy) {
    SMO_FUZZ_CHECK(result.attempts >= 1 && result.attempts <= policy.max_attempts);
    SMO_FUZZ_CHECK(static_cast<int>(http.requests.size()) == result.attempts);
    SMO_FUZZ_CHECK(result.text.find(k_token) == std::string::npos);
    SMO_FUZZ_CHECK(result.text.find("AAH-test_token") == std::string::npos);
    std::chrono::milliseconds waited{0};
    for (const auto wait : clock.sleeps) {
        waited += wait;
    }
    SMO_FUZZ_CHECK(waited <= policy.budget);
    SMO_FUZZ_CHECK(result.status != smo::SendStatus::not_sent);
}

void exchange(const std::vector<long>& statuses, const std::string& body, bool check_token) {
    smo::test::FakeHttpClient http;
    for (const long status : statuses) {
        http.reply(status, body);
    }
    smo::test::FakeClock clock;
    const smo::RetryPolicy policy;
    smo::TelegramClient client(http, clock, {k_token, "4242", smo::k_default_telegram_api}, policy);
    const smo::SendResult result =
        check_token ? client.check_token() : client.send_message("alert for " + body);
    check_result(result, http, clock, policy);
    if (result.ok()) {
        const std::size_t last = std::min(http.requests.size(), statuses.size()) - 1;
        SMO_FUZZ_CHECK(statuses[last] >= 200 && statuses[last] < 300);
        const auto json = nlohmann::json::parse(body, nullptr, false);
        SMO_FUZZ_CHECK(json.is_object() && json.contains("ok") && json["ok"] == true);
    }
}

// A token-shaped first line is used as the token; the rest as the text.
void redact(std::string_view head, std::string_view text) {
    if (head.empty() ||
        head.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                               "0123456789:_-") != std::string_view::npos) {
        return;
    }
    const std::string token(head);
    const std::string redacted = smo::redact_token(std::string(text), token);
    if (std::string_view("bot<redacted>").find(token) == std::string_view::npos) {
        SMO_FUZZ_CHECK(redacted.find(token) == std::string::npos);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const smo::fuzz::Split input = smo::fuzz::split_first_line(smo::fuzz::as_text(data, size));
    const std::string_view head = input.head;
    const std::string_view rest = input.rest;
    const std::vector<long> statuses = statuses_of(head);
    const std::string body = with_token(rest);
    smo::fuzz::never_throws([&] {
        exchange(statuses, body, false);
        exchange(statuses, body, true);
        redact(head, rest);
    });
    return 0;
}
