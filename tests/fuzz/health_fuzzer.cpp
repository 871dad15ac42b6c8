// The health endpoint's body (docs/usage.md): JSON, broken JSON or plain text
// from the app. The first line of the input is the HTTP status, the rest the
// body. Promises: no exception; the commit is lower-case; a healthy verdict
// means 200, status "ok" (any case) or none, and a commit that matches.
#include "fuzz/fuzz_support.hpp"
#include "smo/health.hpp"

#include <cctype>
#include <charconv>
#include <string>

namespace {

long status_of(std::string_view head) {
    long status = 200;
    std::from_chars(head.data(), head.data() + head.size(), status);
    return status;
}

bool is_lower(const std::string& text) {
    for (const char c : text) {
        if (std::isupper(static_cast<unsigned char>(c)) != 0) {
            return false;
        }
    }
    return true;
}

std::string lowered(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

void check_reading(const smo::HealthReading& reading, long status) {
    SMO_FUZZ_CHECK(reading.answered && reading.http_status == status);
    SMO_FUZZ_CHECK(is_lower(reading.commit));
    for (const std::string expected : {"b2c5d82", "b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90"}) {
        const bool healthy = smo::is_healthy(reading, expected);
        SMO_FUZZ_CHECK(!healthy ||
                       (status == 200 && smo::commit_matches(reading.commit, expected) &&
                        (reading.status.empty() || lowered(reading.status) == "ok")));
        const std::string description = smo::describe_health(reading, expected);
        SMO_FUZZ_CHECK(!description.empty());
    }
    if (!reading.commit.empty()) {
        SMO_FUZZ_CHECK(smo::commit_matches(reading.commit, reading.commit) ==
                       (reading.commit.size() >= 7 &&
                        reading.commit.find_first_not_of("0123456789abcdef") == std::string::npos));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const smo::fuzz::Split input = smo::fuzz::split_first_line(smo::fuzz::as_text(data, size));
    const std::string_view head = input.head;
    const std::string_view body = input.rest;
    const long status = status_of(head);
    smo::fuzz::never_throws([&] { check_reading(smo::parse_health(status, body), status); });
    return 0;
}
