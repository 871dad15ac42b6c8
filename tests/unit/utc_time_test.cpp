#include "smo/utc_time.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono;

namespace {

// 2026-04-19T03:12:09.482Z
system_clock::time_point sample_instant() {
    return system_clock::time_point(seconds(1776568329)) + milliseconds(482);
}

} // namespace

TEST_CASE("utc time: one formatter for records, dates, aside names and events", "[utc-time]") {
    const auto when = sample_instant();
    CHECK(smo::utc_iso(when) == "2026-04-19T03:12:09Z");
    CHECK(smo::utc_format(when, "%Y-%m-%d") == "2026-04-19");
    CHECK(smo::utc_format(when, "%Y%m%dT%H%M%SZ") == "20260419T031209Z");
    CHECK(smo::utc_iso_millis(when) == "2026-04-19T03:12:09.482Z");
}
