#include "smo/adapters/curl_http_client.hpp"
#include "smo/adapters/system_clock.hpp"
#include "smo/telegram.hpp"
#include "telegram/telegram_stub_fixture.hpp"

#include <catch2/catch.hpp>

// The real CurlHttpClient and SystemClock against telegram_stub.js: what the
// unit tests show with fakes, shown over a real socket with real sleeps.
using namespace std::chrono_literals;
using smo::integration::TelegramStub;

namespace {

const std::string k_token = "4242:AAH-integration_secret";

smo::TelegramSettings settings_for(const TelegramStub& stub) {
    smo::TelegramSettings settings;
    settings.token = k_token;
    settings.chat_id = "311453473";
    settings.api_base = stub.api();
    return settings;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TEST_CASE("telegram over curl: a message arrives with the right token, chat and text",
          "[telegram]") {
    TelegramStub stub({}, k_token);
    smo::CurlHttpClient http;
    smo::SystemClock clock;
    smo::TelegramClient client(http, clock, settings_for(stub));
    const auto result = client.send_message("⚠️ eo-mena rolled back v1.4.2 → v1.4.1");
    CHECK(result.ok());
    CHECK(result.text == "sent");
    const auto requests = stub.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0]["method"] == "POST");
    CHECK(requests[0]["api_method"] == "sendMessage");
    CHECK(requests[0]["token"] == k_token);
    CHECK(requests[0]["body"]["chat_id"] == "311453473");
    CHECK(requests[0]["body"]["text"] == "⚠️ eo-mena rolled back v1.4.2 → v1.4.1");

    const auto check = client.check_token();
    CHECK(check.text == "token ok (@smo_stub_bot)");
}

TEST_CASE("telegram over curl: a rejected token is a failure without the token", "[telegram]") {
    TelegramStub stub({}, "1:another");
    smo::CurlHttpClient http;
    smo::SystemClock clock;
    smo::TelegramClient client(http, clock, settings_for(stub));
    const auto check = client.check_token();
    CHECK(check.status == smo::SendStatus::failed);
    // One attempt, however long it took (0.1 s under ASan on a loaded machine).
    CHECK_THAT(check.text,
               Catch::Matches(R"(failed: HTTP 401: Unauthorized \(1 attempt in \d+\.\ds\))"));
}

TEST_CASE("telegram over curl: 429 waits retry_after, then the message goes", "[telegram]") {
    TelegramStub stub({"429 2"});
    smo::CurlHttpClient http;
    smo::SystemClock clock;
    smo::TelegramClient client(http, clock, settings_for(stub));
    const auto start = std::chrono::steady_clock::now();
    const auto result = client.send_message("hi");
    const double took = seconds_since(start);
    CHECK(result.ok());
    CHECK(result.attempts == 2);
    CHECK(took >= 2.0);
    CHECK(took < 6.0);
    const auto requests = stub.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0]["status"] == 429);
    CHECK(requests[1]["status"] == 200);
}

TEST_CASE("telegram over curl: 500 then success after a backoff", "[telegram]") {
    TelegramStub stub({"500", "close"});
    smo::CurlHttpClient http;
    smo::SystemClock clock;
    smo::TelegramClient client(http, clock, settings_for(stub));
    const auto start = std::chrono::steady_clock::now();
    const auto result = client.send_message("hi");
    CHECK(result.ok());
    // 500 → 1 s → connection dropped → 2 s → ok.
    CHECK(result.attempts == 3);
    CHECK(seconds_since(start) >= 3.0);
    CHECK(stub.requests().size() == 3);
}

TEST_CASE("telegram over curl: API down is a failed result within bounded time", "[telegram]") {
    TelegramStub stub;
    const auto settings = settings_for(stub);
    stub.stop(); // the port is closed now
    smo::CurlHttpClient http;
    smo::SystemClock clock;
    smo::TelegramClient client(http, clock, settings);
    const auto start = std::chrono::steady_clock::now();
    smo::SendResult result;
    REQUIRE_NOTHROW(result = client.send_message("hi"));
    const double took = seconds_since(start);
    CHECK(result.status == smo::SendStatus::failed);
    CHECK(result.attempts == 4);
    CHECK(took >= 7.0); // 1 + 2 + 4 s of backoff
    CHECK(took < 20.0); // the budget
    CHECK_THAT(result.text, Catch::StartsWith("failed: no answer: Couldn't connect to server"));
    CHECK(result.text.find(k_token) == std::string::npos);
    CHECK(result.text.find("/bot") == std::string::npos);
}

TEST_CASE("telegram over curl: a hanging API is cut by the request timeout", "[telegram]") {
    TelegramStub stub({"hang 10"});
    smo::CurlHttpClient http;
    smo::SystemClock clock;
    smo::RetryPolicy policy;
    policy.backoff.clear();
    policy.request_timeout = 1s;
    smo::TelegramClient client(http, clock, settings_for(stub), policy);
    const auto start = std::chrono::steady_clock::now();
    const auto result = client.send_message("hi");
    CHECK(seconds_since(start) < 5.0);
    CHECK(result.status == smo::SendStatus::failed);
    CHECK_THAT(result.text, Catch::StartsWith("failed: no answer: Timeout was reached"));
    CHECK(result.text.find(k_token) == std::string::npos);
}

TEST_CASE("curl client: statuses are answers, never errors, and errors never hold the URL",
          "[telegram]") {
    TelegramStub stub;
    smo::CurlHttpClient http;
    const auto missing = http.get(stub.api() + "/nothing/here", 5s);
    CHECK(missing.answered());
    CHECK(missing.status == 404);
    CHECK_THAT(missing.body, Catch::Contains("Not Found"));
    const std::string port = std::to_string(stub.port());
    stub.stop();
    const auto refused = http.get("http://127.0.0.1:" + port + "/bot" + k_token + "/getMe", 5s);
    CHECK_FALSE(refused.answered());
    CHECK(refused.status == 0);
    CHECK(refused.transport_error.find(k_token) == std::string::npos);
    CHECK(refused.transport_error.find("/bot") == std::string::npos);
    const auto bad = http.get("ftp://127.0.0.1:" + port + "/bot" + k_token, 5s);
    CHECK_FALSE(bad.answered());
    CHECK(bad.transport_error.find(k_token) == std::string::npos);
}
