// Unit tests of zoomsim's pure time logic with an injected clock: the sliding one-second
// window, the daily cap and its calendar text, and the token store.
#include "zoomsim/limits/sliding_window.hpp"

#include "zoomsim/limits/daily_cap.hpp"
#include "zoomsim/tokens/token_store.hpp"

#include <doctest/doctest.h>

using namespace zoomsim;
using namespace std::chrono_literals;
using std::chrono::sys_days;

namespace {
const steady_time t0{};

sys_days date(int y, unsigned m, unsigned d) {
    return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}
} // namespace

TEST_CASE("zoomsim sliding window: admits up to the limit within any one second") {
    sliding_window window;
    CHECK(window.try_record(t0, 3));
    CHECK(window.try_record(t0 + 100ms, 3));
    CHECK(window.try_record(t0 + 999ms, 3));
    CHECK_FALSE(window.try_record(t0 + 999ms, 3));
    // The first event leaves the window exactly one second after it happened.
    CHECK(window.try_record(t0 + 1000ms, 3));
    CHECK_FALSE(window.try_record(t0 + 1050ms, 3));
    CHECK(window.try_record(t0 + 1100ms, 3));
    CHECK(window.count(t0 + 1100ms) == 3);
    CHECK(window.count(t0 + 5s) == 0);
    CHECK(window.busiest() == 3);
}

TEST_CASE("zoomsim sliding window: refused events do not count and busiest spans any second") {
    sliding_window limited;
    for (int i = 0; i < 10; ++i)
        limited.try_record(t0 + i * 10ms, 2);
    CHECK(limited.count(t0 + 100ms) == 2);

    sliding_window seen;
    // 2 events early, then 4 late in the next second: the busiest second is the sliding
    // one holding all 6 of them (500 ms to 1400 ms), not a calendar second.
    for (auto at : {500ms, 600ms, 1100ms, 1200ms, 1300ms, 1400ms})
        seen.record(t0 + at);
    CHECK(seen.busiest() == 6);
    seen.record(t0 + 3s);
    CHECK(seen.busiest() == 6);
}

TEST_CASE("zoomsim sliding window: events recorded out of order count where they happened") {
    // Requests on two connections, each timed when its first bytes were read, reach the
    // window in the order they were handled, not the order they arrived.
    sliding_window limited;
    CHECK(limited.try_record(t0 + 100ms, 2));
    CHECK(limited.try_record(t0 + 900ms, 2));
    // 500 ms would make (-100 ms, 900 ms] hold three.
    CHECK_FALSE(limited.try_record(t0 + 500ms, 2));
    CHECK(limited.count(t0 + 1050ms) == 2);
    CHECK(limited.count(t0 + 1100ms) == 1); // 100 ms has left the window
    CHECK(limited.try_record(t0 + 1100ms, 2));

    sliding_window seen;
    for (auto at : {1000ms, 1900ms, 1200ms, 400ms, 2500ms})
        seen.record(t0 + at);
    // (900 ms, 1900 ms] holds 1000, 1200 and 1900; (200 ms, 1200 ms] holds 400, 1000 and
    // 1200 once the late 400 ms is in.
    CHECK(seen.busiest() == 3);
    CHECK(seen.count(t0 + 2500ms) == 2); // 1900 and 2500
}

TEST_CASE("zoomsim daily cap: counts to the cap and starts over on a new day") {
    daily_cap cap(2);
    auto day = date(2026, 11, 28);
    CHECK(cap.try_consume(day));
    CHECK(cap.try_consume(day));
    CHECK_FALSE(cap.try_consume(day));
    CHECK(cap.used(day) == 2);
    CHECK_FALSE(cap.refused_on(day));
    cap.note_refusal(day);
    CHECK(cap.refused_on(day));

    auto next = day + std::chrono::days{1};
    CHECK(cap.used(next) == 0);
    CHECK_FALSE(cap.refused_on(next));
    CHECK(cap.try_consume(next));
    CHECK(cap.used(next) == 1);
    CHECK(cap.used(day) == 0);
    CHECK(cap.cap() == 2);
}

TEST_CASE("zoomsim daily cap: UTC days and the next midnight in ISO 8601") {
    using std::chrono::system_clock;
    auto late = sys_days{date(2026, 11, 28)} + 23h + 59min + 59s;
    CHECK(day_of(system_clock::time_point{late}) == date(2026, 11, 28));
    CHECK(day_of(system_clock::time_point{late + 1s}) == date(2026, 11, 29));
    CHECK(format_day(date(2026, 11, 28)) == "2026-11-28");
    CHECK(midnight_iso(date(2026, 11, 28) + std::chrono::days{1}) == "2026-11-29T00:00:00Z");
    CHECK(midnight_iso(date(2026, 12, 31) + std::chrono::days{1}) == "2027-01-01T00:00:00Z");
    CHECK(midnight_iso(date(2028, 2, 28) + std::chrono::days{1}) == "2028-02-29T00:00:00Z");
}

TEST_CASE("zoomsim token store: each grant lives its TTL, side by side with the others") {
    token_store tokens("", 60s, 7);
    CHECK_FALSE(tokens.accepts("", t0));
    CHECK_FALSE(tokens.accepts("anything", t0));
    auto first = tokens.grant(t0);
    CHECK(first.size() > 32);
    CHECK(tokens.accepts(first, t0 + 59s));
    CHECK_FALSE(tokens.accepts(first, t0 + 60s));

    auto second = tokens.grant(t0 + 10s);
    CHECK(second != first);
    CHECK(tokens.accepts(first, t0 + 11s)); // Zoom now lets several tokens live
    CHECK(tokens.accepts(second, t0 + 69s));
    CHECK_FALSE(tokens.accepts(second, t0 + 70s));
    CHECK(tokens.ttl() == 60s);
}

TEST_CASE("zoomsim token store: with a single live token, a new grant invalidates the previous") {
    token_store tokens("", 60s, 7, true);
    auto first = tokens.grant(t0);
    CHECK(tokens.accepts(first, t0 + 9s));
    auto second = tokens.grant(t0 + 10s);
    CHECK_FALSE(tokens.accepts(first, t0 + 11s));
    CHECK(tokens.accepts(second, t0 + 69s));
    CHECK_FALSE(tokens.accepts(second, t0 + 70s));
}

TEST_CASE("zoomsim token store: the fixed token never expires and survives grants") {
    token_store tokens("fixed-token", 1s, 7);
    CHECK(tokens.accepts("fixed-token", t0 + 1000h));
    auto granted = tokens.grant(t0);
    CHECK(tokens.accepts("fixed-token", t0 + 1000h));
    CHECK(tokens.accepts(granted, t0));
    CHECK_FALSE(tokens.accepts("fixed-toke", t0));
}
