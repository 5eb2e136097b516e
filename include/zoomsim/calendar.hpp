// Where the simulator reads time, and its calendar: a monotonic clock for the per-second
// limits and tokens, UTC for creation times, invitations and the daily cap, moved forward by
// the control endpoints (a new UTC day, an advance of days and seconds); and the calendar
// text Zoom's answers carry ("2026-11-28", "2026-11-28T15:04:05Z"). Throws only
// std::bad_alloc.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace zoomsim {

using steady_time = std::chrono::steady_clock::time_point;
using utc_time = std::chrono::system_clock::time_point;
using std::chrono::sys_days;

// The UTC day `t` falls on.
sys_days day_of(utc_time t);
// "YYYY-MM-DD".
std::string format_day(sys_days day);
// The day's first instant in ISO 8601: "YYYY-MM-DDT00:00:00Z".
std::string midnight_iso(sys_days day);
// "2026-11-28T15:04:05Z", as Zoom writes created_at.
std::string iso_time(utc_time t);

// The clocks the simulator reads; tests give fake ones.
struct sim_clock {
    std::function<steady_time()> steady;
    std::function<utc_time()> utc;
    static sim_clock real();
};

class calendar {
public:
    explicit calendar(sim_clock clock) : clock_(std::move(clock)) {}

    steady_time steady() const { return clock_.steady(); }
    // The clock's UTC plus advance().
    utc_time now() const { return clock_.utc() + offset_; }
    // The UTC day of now(), plus next_day()'s.
    sys_days today() const { return day_of(now()) + std::chrono::days{day_offset_}; }

    // POST /_sim/next-day: the daily cap's day moves on, nothing else.
    void next_day() { ++day_offset_; }
    // POST /_sim/advance: now() moves forward.
    void advance(std::chrono::seconds by) { offset_ += by; }

private:
    sim_clock clock_;
    int day_offset_ = 0;
    std::chrono::seconds offset_{};
};

} // namespace zoomsim
