#include "smo/health.hpp"
#include "support/fake_http_client.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using smo::test::FakeHttpClient;

TEST_CASE("health: the JSON body gives status and commit", "[health]") {
    const HealthReading reading =
        parse_health(200, R"({"status":"ok","commit":"B2C5D82","uptime_seconds":42,"deps":{}})");
    CHECK(reading.answered);
    CHECK(reading.http_status == 200);
    CHECK(reading.status == "ok");
    CHECK(reading.commit == "b2c5d82");
    CHECK(is_healthy(reading, "b2c5d82f00112233445566778899aabbccddeeff"));
    CHECK(describe_health(reading, "b2c5d82f0011") == "200 OK (commit matched)");
}

TEST_CASE("health: a body that is not JSON is searched for the keys", "[health]") {
    const HealthReading text = parse_health(200, "status=ok commit=b2c5d82f\n");
    CHECK(text.status == "ok");
    CHECK(text.commit == "b2c5d82f");
    const HealthReading broken = parse_health(200, R"({"status": "ok", "commit": "b2c5d82",)");
    CHECK(broken.commit == "b2c5d82");
    const HealthReading plain = parse_health(200, "OK");
    CHECK(plain.status.empty());
    CHECK(plain.commit.empty());
    CHECK_FALSE(is_healthy(plain, "b2c5d82"));
    CHECK(describe_health(plain, "b2c5d82") == "200 OK (no commit reported)");
}

TEST_CASE("health: commits match by prefix of 7+ hex digits, any case", "[health]") {
    CHECK(commit_matches("b2c5d82", "b2c5d82f00112233445566778899aabbccddeeff"));
    CHECK(commit_matches("B2C5D82F", "b2c5d82"));
    CHECK_FALSE(commit_matches("b2c5d8", "b2c5d82f0011"));  // 6 chars is too short
    CHECK_FALSE(commit_matches("b2c5d83", "b2c5d82f0011")); // differs
    CHECK_FALSE(commit_matches("", "b2c5d82"));
    CHECK_FALSE(commit_matches("zzzzzzz", "zzzzzzz")); // not hex
}

TEST_CASE("health: unhealthy readings say why", "[health]") {
    const HealthReading degraded = parse_health(200, R"({"status":"degraded","commit":"b2c5d82"})");
    CHECK_FALSE(is_healthy(degraded, "b2c5d82"));
    CHECK(describe_health(degraded, "b2c5d82") == "200 OK (status \"degraded\")");

    const HealthReading wrong = parse_health(200, R"({"status":"ok","commit":"c3d4e5f6"})");
    CHECK_FALSE(is_healthy(wrong, "b2c5d82"));
    CHECK(describe_health(wrong, "b2c5d82ff") == "200 OK (commit c3d4e5f6, expected b2c5d82)");

    const HealthReading server_error = parse_health(503, R"({"status":"ok","commit":"b2c5d82"})");
    CHECK_FALSE(is_healthy(server_error, "b2c5d82"));
    CHECK(describe_health(server_error, "b2c5d82") == "503");

    const HealthReading no_status = parse_health(200, R"({"commit":"b2c5d82"})");
    CHECK(is_healthy(no_status, "b2c5d82")); // status is only checked when present
}

TEST_CASE("health: read_health does one GET and never throws", "[health]") {
    FakeHttpClient http;
    http.reply_unreachable("Connection refused");
    const HealthReading down =
        read_health(http, "http://127.0.0.1:9/health", std::chrono::seconds(5));
    CHECK_FALSE(down.answered);
    CHECK(describe_health(down, "b2c5d82") == "no answer: Connection refused");
    REQUIRE(http.requests.size() == 1);
    CHECK(http.requests[0].method == "GET");
    CHECK(http.requests[0].url == "http://127.0.0.1:9/health");
}
