// Sliding one-second windows over request arrival times: enforces a per-second limit and
// remembers the busiest second seen. Times come from the caller (a steady clock), so tests
// drive it with a fake clock; they may come slightly out of order (requests on several
// connections). Throws only std::bad_alloc.
#pragma once

#include "zoomsim/calendar.hpp"

#include <chrono>
#include <cstdint>
#include <deque>

namespace zoomsim {

class sliding_window {
public:
    explicit sliding_window(std::chrono::nanoseconds width = std::chrono::seconds(1))
        : width_(width) {}

    // Records an event at `now` unless a one-width window holding `now` already holds
    // `limit` events; returns whether it was recorded.
    bool try_record(steady_time now, std::int64_t limit);
    void record(steady_time now);

    // Events in the window ending at `now`: those less than one width old.
    std::int64_t count(steady_time now);
    // The most events ever seen in one window.
    std::int64_t busiest() const { return busiest_; }

private:
    void expire(steady_time now);
    void insert(steady_time at);
    std::int64_t ending_at(steady_time at) const; // events in (at - width, at]
    std::int64_t busiest_around(steady_time at) const;

    std::chrono::nanoseconds width_;
    std::deque<steady_time> events_;
    std::int64_t busiest_ = 0;
};

} // namespace zoomsim
