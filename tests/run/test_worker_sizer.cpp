#include "zprov/run/worker_sizer.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace std::chrono;
using clk = worker_sizer::clock;

namespace {
const auto start = clk::time_point{} + hours(1);

// `n` requests of worker `w`, each keeping it busy `busy` from its grant to its next ask.
void busy_for(worker_sizer& s, const void* w, int n, clk::duration busy) {
    auto t = start;
    for (int i = 0; i < n; ++i) {
        s.granted(w, t);
        t += busy;
        s.ready(w, t);
        t += 5ms; // waiting for the pacer: not busy time
    }
}
} // namespace

TEST_CASE("worker sizer: the workers a rate needs over the round trip, with headroom") {
    int a = 0;
    worker_sizer s(64, 100ms);
    CHECK(s.target(80) == 12); // 80/s x 100 ms x 1.25, and 2 more
    busy_for(s, &a, 64, 250ms);
    CHECK(s.busy_time() == 250ms);
    CHECK(s.target(80) == 27); // 80/s at 250 ms: 20 busy at once, 27 at work
    CHECK(s.target(30) == 12);
    CHECK(s.target(4) == 4);
    busy_for(s, &a, 64, 20ms);
    CHECK(s.target(80) == 4);
    CHECK(s.target(0.5) == 3);
}

TEST_CASE("worker sizer: bounded by the ceiling and waits and outliers are not round trips") {
    int a = 0, b = 0;
    worker_sizer capped(16, 100ms);
    busy_for(capped, &a, 64, 250ms);
    CHECK(capped.target(80) == 16);
    CHECK(worker_sizer(1, 100ms).target(80) == 1);

    worker_sizer s(64, 100ms);
    busy_for(s, &a, 60, 100ms);
    // Four slow answers in 64: the high quantile stays at the common round trip.
    busy_for(s, &b, 4, 1500ms);
    CHECK(s.busy_time() == 100ms);
    // A worker kept off work (idle) asks again much later: not a sample.
    s.granted(&b, start);
    s.idle(&b);
    s.ready(&b, start + 10min);
    CHECK(s.busy_time() == 100ms);
    // An ask with no grant before it is not a sample either.
    int c = 0;
    s.ready(&c, start + 1s);
    CHECK(s.busy_time() == 100ms);
}
