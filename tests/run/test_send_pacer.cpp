#include "zprov/run/send_pacer.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <queue>
#include <random>
#include <vector>

using namespace zprov;
using namespace std::chrono;
using clk = send_pacer::clock;

namespace {
struct delays {
    milliseconds late;  // a wake-up comes up to this late
    milliseconds write; // from the grant to the request written (journal sync, scheduling)
    milliseconds rtt;   // from the write to the answer, +-20 %
};

// Drives a pacer the way the import's workers do: each asks for a slot, sleeps as told
// (waking late by a random amount), writes its request some time after the grant, and
// tells the pacer the write time only once the answer is in. Returns the write times.
std::vector<clk::time_point> run_workers(send_pacer& pacer, clk::time_point start, seconds span,
                                         int workers, delays d, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto upto = [&](milliseconds m) {
        return microseconds(std::uniform_int_distribution<long>(0, m.count() * 1000)(rng));
    };
    struct event {
        clk::time_point at;
        int worker;
        std::uint64_t slot;      // 0: the worker asks for a slot
        clk::time_point written; // the write time, told to the pacer at `at`
        bool operator>(const event& o) const { return at > o.at; }
    };
    std::priority_queue<event, std::vector<event>, std::greater<>> events;
    for (int w = 0; w < workers; ++w)
        events.push({start, w, 0, {}});
    std::vector<clk::time_point> writes;
    while (!events.empty() && events.top().at < start + span) {
        auto e = events.top();
        events.pop();
        if (e.slot != 0) {
            pacer.sent(e.slot, e.written);
            events.push({e.at, e.worker, 0, {}});
            continue;
        }
        auto g = pacer.try_take(e.at);
        CHECK(g.wait >= clk::duration::zero());
        if (g.slot == 0) {
            events.push({e.at + g.wait + upto(d.late), e.worker, 0, {}});
            continue;
        }
        auto written = e.at + upto(d.write);
        writes.push_back(written);
        auto rtt = d.rtt * 4 / 5 + upto(d.rtt * 2 / 5);
        events.push({written + rtt, e.worker, g.slot, written});
    }
    std::sort(writes.begin(), writes.end());
    return writes;
}

// The most events in any window [t, t + width).
std::int64_t most_in_window(const std::vector<clk::time_point>& t, clk::duration width) {
    std::size_t most = 0, lo = 0;
    for (std::size_t hi = 0; hi < t.size(); ++hi) {
        while (t[hi] - t[lo] >= width)
            ++lo;
        most = std::max(most, hi - lo + 1);
    }
    return static_cast<std::int64_t>(most);
}

const auto start = clk::time_point{} + hours(1);
} // namespace

TEST_CASE("send pacer: no window of a second and a margin holds more than the limit") {
    for (double limit : {4.0, 30.0, 80.0}) {
        for (std::uint64_t seed = 1; seed <= 4; ++seed) {
            CAPTURE(limit);
            CAPTURE(seed);
            send_pacer pacer(limit, start);
            // Slow writes and very late wake-ups: the hard bound holds whatever they do.
            auto t = run_workers(pacer, start, seconds(20), 16, {40ms, 60ms, 100ms}, seed);
            CHECK(pacer.window() == 1s + send_pacer::margin);
            CHECK(most_in_window(t, pacer.window()) <= static_cast<std::int64_t>(limit));
        }
    }
}

TEST_CASE("send pacer: late wake-ups are made up, so the rate stays at the limit") {
    for (double limit : {4.0, 30.0, 80.0}) {
        for (std::uint64_t seed = 1; seed <= 4; ++seed) {
            CAPTURE(limit);
            CAPTURE(seed);
            send_pacer pacer(limit, start);
            // Wake-ups up to 15 ms late, as on a busy machine; writes within 2 ms of the grant.
            auto t = run_workers(pacer, start, seconds(30), 16, {15ms, 2ms, 100ms}, seed);
            CHECK(most_in_window(t, pacer.window()) <= static_cast<std::int64_t>(limit));
            // Over the run, at least 97 % of the limit (the margin alone costs 2 %).
            CHECK(static_cast<double>(t.size()) >= 0.97 * limit * 30);
        }
    }
}

TEST_CASE("send pacer: a slot granted and never written is given back") {
    send_pacer pacer(2, start);
    auto a = pacer.try_take(start);
    REQUIRE(a.slot != 0);
    {
        auto b = pacer.try_take(start + 500ms);
        REQUIRE(b.slot != 0);
        pacer_ticket unused_ticket(pacer, b.slot); // dropped before any write
    }
    // The window holds one write and one open slot: a third waits for the schedule only.
    pacer.sent(a.slot, start);
    auto c = pacer.try_take(start + 1010ms);
    CHECK(c.slot != 0);
}

TEST_CASE("send pacer: while the window is full, the wait ends when its oldest write leaves it") {
    send_pacer pacer(4, start);
    std::vector<std::uint64_t> slots;
    auto now = start;
    while (slots.size() < 4) {
        auto g = pacer.try_take(now);
        if (g.slot != 0)
            slots.push_back(g.slot);
        else
            now += g.wait;
    }
    // The first write was late: the fifth slot counts from it, not from its grant.
    pacer.sent(slots[0], start + 300ms);
    for (std::size_t i = 1; i < slots.size(); ++i)
        pacer.sent(slots[i], now);
    auto g = pacer.try_take(start + 1s);
    CHECK(g.slot == 0);
    CHECK(start + 1s + g.wait == start + 300ms + pacer.window());
    CHECK(pacer.try_take(start + 300ms + pacer.window()).slot != 0);
}

TEST_CASE("send pacer: rates below one a second and fractional rates") {
    send_pacer slow(0.5, start);
    CHECK(slow.capacity() == 1);
    CHECK(slow.window() == 2s + send_pacer::margin);
    send_pacer odd(2.5, start);
    CHECK(odd.capacity() == 2);
    CHECK(odd.window() == 800ms + send_pacer::margin);
}

TEST_CASE("send pacer: a 429 cuts the rate below what Zoom accepted, which then climbs back") {
    send_pacer pacer(1000, start); // --rate far above the account's limit of 40/s
    for (int i = 0; i < 40; ++i)
        pacer.accepted(start + milliseconds(25 * i + 10));
    auto now = start + 1s;
    CHECK(pacer.slow_down(now, now - 50ms));
    CHECK(pacer.rate() == doctest::Approx(30)); // three quarters of the 40 accepted
    // A request written within a second of the slow-down met Zoom's window still full of
    // the faster ones: it says nothing about the new rate.
    CHECK_FALSE(pacer.slow_down(now + 900ms, now + 850ms));
    CHECK(pacer.rate() == doctest::Approx(31.8)); // climbing by 2/s per second, not cut
    // No catching up right after a 429: the next slot is one slowed interval away.
    CHECK(pacer.try_take(now + 1ms).slot == 0);
    // Additive increase: a twentieth of the accepted rate (2/s) per second.
    pacer.try_take(now + 5s);
    CHECK(pacer.rate() == doctest::Approx(40).epsilon(0.01));
    pacer.try_take(now + 600s);
    CHECK(pacer.rate() == doctest::Approx(1000 / 1.02));
}

TEST_CASE("send pacer: 429s with nothing accepted bring the rate down to the floor") {
    send_pacer pacer(30, start);
    pacer.slow_down(start + 1s, start + 900ms);
    CHECK(pacer.rate() == doctest::Approx(0.5));
    CHECK(pacer.starved());
    pacer.accepted(start + 2s);
    CHECK_FALSE(pacer.starved());
}

TEST_CASE("send pacer: a rate above the trusted one starts at it and climbs only on evidence") {
    send_pacer pacer(1000, start, 30); // --rate 1000 on Pro
    CHECK(pacer.rate() == doctest::Approx(30 / 1.02));
    CHECK(pacer.window_limit() == 30);
    CHECK(pacer.capacity() == 1000);
    // 256 workers asking at once, answers never read: no window holds more than 30, however
    // long it goes on without evidence.
    auto t = run_workers(pacer, start, seconds(5), 256, {1ms, 1ms, 50ms}, 7);
    CHECK(most_in_window(t, pacer.window()) <= 30);
    CHECK(pacer.rate() == doctest::Approx(30 / 1.02));

    // Zoom takes 30/s: the rate climbs a tenth a second, but not beyond what is taken.
    send_pacer climbing(1000, start, 30);
    auto at = start + 1s;
    for (int i = 0; i < 150; ++i)
        climbing.accepted(at + milliseconds(i * 1000 / 30));
    CHECK(climbing.rate() > 30);
    CHECK(climbing.rate() < 37);
    CHECK(climbing.window_limit() < 37);
    // A 429 brings it back under what Zoom took in the last second.
    const auto now = at + 5s;
    CHECK(climbing.slow_down(now, now - 20ms));
    CHECK(climbing.rate() < 30);

    // A rate at or under the trusted one starts where it is.
    send_pacer under(20, start, 30);
    CHECK(under.rate() == doctest::Approx(20 / 1.02));
    CHECK(under.window_limit() == 20);
}

TEST_CASE("send pacer: requests another run wrote count in the first window") {
    send_pacer pacer(80, start);
    for (int i = 0; i < 70; ++i)
        pacer.counted(start);
    int granted = 0;
    for (int i = 0; i < 80; ++i)
        if (auto g = pacer.try_take(start + milliseconds(i)); g.slot != 0) {
            pacer.sent(g.slot, start + milliseconds(i));
            ++granted;
        }
    CHECK(granted <= 10);
    // Once they leave the window, the rate is the pacer's own.
    CHECK(pacer.try_take(start + pacer.window() + 1ms).slot != 0);
}
