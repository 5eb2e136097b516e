// How many workers (each with its own connection) a run keeps at work: as many as the pacer's
// rate needs over the time each request keeps its worker busy (Little's law: rate × busy
// time), with headroom for jitter, between a few and the ceiling (--concurrency).
//
// A worker's busy time per request is measured from the pacer's grant of one request to the
// worker's next turn asked for: the round trip, the answer's journaling and the next row's
// intent, a reconnection. The estimate is a high quantile of the latest samples, so that a
// server far away (250 ms) gets its 30 connections and a near one (20 ms) a handful, and
// nothing is opened that the rate cannot use. A worker is known by its connection (any
// pointer that is its own); the run's workers are numbered, and one whose number is at or
// above target() waits and opens no connection. Pure; throws only std::bad_alloc.
#pragma once

#include <chrono>
#include <cstddef>
#include <utility>
#include <vector>

namespace zprov {

class worker_sizer {
public:
    using clock = std::chrono::steady_clock;

    // `ceiling` workers at most (--concurrency); before any sample, each request is taken
    // to keep its worker busy for `first_guess`.
    worker_sizer(int ceiling, clock::duration first_guess);

    // Worker `w` was granted a turn at `at`.
    void granted(const void* w, clock::time_point at);
    // Worker `w` asks for its next turn at `at`: the time since its last grant is a sample.
    void ready(const void* w, clock::time_point at);
    // Worker `w` waited for something else than its requests (its turn to work): its next
    // ask is not a sample.
    void idle(const void* w);

    // The workers to keep at work at `rate` requests per second.
    int target(double rate) const;
    int ceiling() const { return ceiling_; }
    // The busy time per request the target is made from (the first guess before samples).
    clock::duration busy_time() const { return busy_; }

private:
    int ceiling_;
    clock::duration busy_; // the quantile of the samples
    clock::time_point* last_grant(const void* w);
    // By worker: its last grant not yet followed by its next ask.
    std::vector<std::pair<const void*, clock::time_point>> granted_;
    std::vector<clock::duration> samples_; // a ring of the latest
    std::size_t next_sample_ = 0;
};

} // namespace zprov
