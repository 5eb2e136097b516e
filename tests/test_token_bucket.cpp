#include "zprov/token_bucket.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <random>

using namespace zprov;
using namespace std::chrono;
using clk = token_bucket::clock;

namespace {
// Drives a bucket the way waiting workers do: each wakes when told, up to 0.5 ms late
// (timer slop), sometimes early by a random amount (a worker that just got a row), and
// returns the grant times.
std::vector<clk::time_point> grants(token_bucket& b, clk::time_point start, seconds span,
                                    std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> slop_us(0, 500);
    std::vector<clk::time_point> out;
    auto now = start;
    while (now < start + span) {
        auto wait = b.try_take(now);
        CHECK(wait >= clk::duration::zero());
        if (wait == clk::duration::zero())
            out.push_back(now);
        else
            now += (rng() % 4) ? wait + microseconds(slop_us(rng)) : wait / 3;
    }
    return out;
}

std::size_t most_in_window(const std::vector<clk::time_point>& t, clk::duration window) {
    std::size_t most = 0, lo = 0;
    for (std::size_t hi = 0; hi < t.size(); ++hi) {
        while (t[hi] - t[lo] >= window)
            ++lo;
        most = std::max(most, hi - lo + 1);
    }
    return most;
}
} // namespace

TEST_CASE("token bucket: never more than the limit in any one-second window, even with jitter") {
    for (double limit : {4.0, 30.0, 80.0}) {
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            auto start = clk::time_point{} + hours(1);
            token_bucket b(limit, start);
            auto t = grants(b, start, seconds(20), seed);
            // As the server sees them: up to 15 ms early or late, so a 1.03 s client window.
            CHECK(most_in_window(t, duration_cast<clk::duration>(
                                        duration<double>(1.0 + token_bucket::margin))) <=
                  static_cast<std::size_t>(limit));
            // And the allowance is used: at least 95 % of the limit over the span.
            CHECK(static_cast<double>(t.size()) >= 0.95 * limit * 20);
        }
    }
}

TEST_CASE("token bucket: nothing is granted while the clock goes backwards") {
    auto start = clk::time_point{} + hours(1);
    token_bucket b(30, start);
    CHECK(b.try_take(start) == clk::duration::zero());
    auto earlier = start - seconds(5);
    for (int i = 0; i < 100; ++i)
        CHECK(b.try_take(earlier) > clk::duration::zero());
    // Back to normal time: grants resume at the rate, never in a burst.
    CHECK(b.try_take(start + milliseconds(40)) == clk::duration::zero());
    CHECK(b.try_take(start + milliseconds(41)) > clk::duration::zero());
}

TEST_CASE("token bucket: a 429 halves the rate, which then recovers") {
    auto start = clk::time_point{} + hours(1);
    token_bucket b(80, start);
    double full = b.rate();
    b.slow_down(start);
    CHECK(b.rate() == doctest::Approx(full / 2));
    b.slow_down(start + milliseconds(100)); // same burst of 429s: one signal
    CHECK(b.rate() > full / 2 * 0.99);
    CHECK(b.rate() < full / 2 * 1.05);
    b.try_take(start + seconds(2));
    CHECK(b.rate() > full / 2);
    b.try_take(start + seconds(30));
    CHECK(b.rate() == doctest::Approx(full));
    CHECK(b.rate() < b.limit());
}
