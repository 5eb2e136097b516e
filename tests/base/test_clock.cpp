#include "zprov/base/clock.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace std::chrono;

TEST_CASE("ISO 8601 and UTC days") {
    auto t = parse_iso8601("2026-11-28T23:59:59Z");
    REQUIRE(t);
    CHECK(iso8601(*t) == "2026-11-28T23:59:59Z");
    CHECK(utc_day(*t) == "2026-11-28");
    CHECK(iso8601(next_utc_midnight(*t)) == "2026-11-29T00:00:00Z");
    CHECK(iso8601(next_utc_midnight(*parse_iso8601("2026-12-31T00:00:00Z"))) ==
          "2027-01-01T00:00:00Z");
    CHECK(iso8601(*parse_iso8601("2026-11-29T01:00:00+01:00")) == "2026-11-29T00:00:00Z");
    CHECK(iso8601(*parse_iso8601("2026-11-28T19:00:00.250-05:00")) == "2026-11-29T00:00:00Z");
    CHECK_FALSE(parse_iso8601("2026-11-28T10:00:00"));
    CHECK_FALSE(parse_iso8601("2026-02-30T10:00:00Z"));
    CHECK_FALSE(parse_iso8601("tomorrow"));
}

TEST_CASE("HTTP dates") {
    auto t = parse_http_date("Sun, 29 Nov 2026 00:00:00 GMT");
    REQUIRE(t);
    CHECK(iso8601(*t) == "2026-11-29T00:00:00Z");
    CHECK_FALSE(parse_http_date("Sun, 29 Foo 2026 00:00:00 GMT"));
    CHECK_FALSE(parse_http_date("2026-11-29T00:00:00Z"));
}
