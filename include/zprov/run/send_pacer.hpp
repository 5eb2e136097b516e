// The per-second limit of one Zoom rate-limit category, shared by every worker, on a
// monotonic clock that callers pass in (so tests can drive it). Throws only std::bad_alloc.
//
// It paces what the server counts: sends, as they are written, in sliding windows. A grant
// is a slot that is taken from the moment it is given until its request is written, and
// then counts in every window that holds its write time. A window is one second plus a
// margin for network jitter (for a rate below 1/s, as many seconds as one request needs),
// and no window ever holds more than `capacity()` slots, however late a worker writes.
//
// Within that hard bound a steady schedule, one slot every window/capacity, spreads the
// grants. The schedule may fall behind the clock by a quarter of a window and no more: a
// wake-up that came late is made up at once instead of being lost, and a pause (a token
// refresh, slow answers) does not turn into a burst of a whole window.
//
// A per-second 429 (another app on the account is busy too, or --rate above the account's
// limit) cuts the schedule's rate to three quarters of what Zoom accepted in the last
// second, and sends nothing until the oldest of those has left Zoom's window; the rate
// then climbs back by a twentieth of that accepted rate per second (additive increase,
// multiplicative decrease), so that it settles just under what Zoom takes.
//
// A rate above what the account is known to allow (--rate above the plan's limit) is a
// ceiling to climb to, not where the pacer starts: it starts at the trusted rate (the
// plan's), so that its first second holds no more than that, and climbs above it only on
// evidence: a second in which Zoom accepted requests at the rate then, with no 429 since,
// raises it by a tenth. Every window holds no more than the schedule's rate allows.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>

namespace zprov {

class send_pacer {
public:
    using clock = std::chrono::steady_clock;
    // Kept free in every one-second window, for the server's view of arrivals.
    static constexpr clock::duration margin = std::chrono::milliseconds(20);

    // `trusted_rate` (0: the rate itself): where a rate above it starts (see above).
    send_pacer(double rate_per_second, clock::time_point now, double trusted_rate = 0);

    // A slot to send one request in, or (slot == 0) how long to wait before asking again.
    struct grant {
        std::uint64_t slot = 0;
        clock::duration wait{};
    };
    grant try_take(clock::time_point now);
    // The request of `slot` was written at `at` (at or before the time of this call).
    void sent(std::uint64_t slot, clock::time_point at);
    // The request of `slot` was never written: the slot is free again.
    void unused(std::uint64_t slot);
    // A request written at `at` (no later than now) by another run: it counts in every
    // window that holds `at`.
    void counted(clock::time_point at);

    // An answer that was not a per-second 429: Zoom took the request.
    void accepted(clock::time_point now);
    // A per-second 429 for a request written at `sent`: slow down from `now` on (see
    // above). False if it did not: a request written less than a second after the latest
    // slow-down met a window that still held requests sent at the old rate.
    bool slow_down(clock::time_point now, clock::time_point sent);

    double rate() const { return rate_; }
    // Zoom accepted nothing in the second before the latest slow-down, nor since: the
    // pacer is as slow as it goes.
    bool starved() const { return starved_; }
    std::int64_t capacity() const { return capacity_; }
    // What one window may hold at the schedule's rate now (at most capacity()).
    std::int64_t window_limit() const;
    clock::duration window() const { return window_; }

private:
    void recover(clock::time_point now);
    void climb(clock::time_point now);
    std::int64_t in_window(clock::time_point now);

    std::int64_t capacity_;    // sends in one window
    clock::duration window_;   // capacity / full rate, plus the margin
    double full_rate_;         // capacity per window: the schedule's rate with no recent 429
    double rate_;              // the schedule's rate now
    double trusted_;           // the rate it returns to by time alone; above it, on evidence
    double increase_;          // what rate_ climbs by per second after a slow-down
    double floor_;             // the slowest rate after slow-downs
    clock::duration catch_up_; // how far the schedule may lag the clock
    clock::time_point next_;   // the schedule's next slot
    clock::time_point last_recovery_;
    clock::time_point last_slow_down_;
    clock::time_point last_climb_;
    clock::time_point first_accepted_{};
    bool slowed_ = false;
    bool starved_ = false;
    std::deque<clock::time_point> sent_;     // write times still inside a window, in order
    std::deque<std::uint64_t> open_;         // granted slots not yet written
    std::deque<clock::time_point> accepted_; // answers Zoom accepted in the last second
    std::uint64_t next_slot_ = 1;
};

// Holds one slot of a pacer until the request is written: `sent()` says when; a ticket
// destroyed unsent gives its slot back. Move-only.
class pacer_ticket {
public:
    pacer_ticket() = default;
    pacer_ticket(send_pacer& pacer, std::uint64_t slot) : pacer_(&pacer), slot_(slot) {}
    pacer_ticket(pacer_ticket&& other) noexcept
        : pacer_(other.pacer_), slot_(std::exchange(other.slot_, 0)) {}
    pacer_ticket& operator=(pacer_ticket&& other) noexcept;
    pacer_ticket(const pacer_ticket&) = delete;
    pacer_ticket& operator=(const pacer_ticket&) = delete;
    ~pacer_ticket();

    void sent(send_pacer::clock::time_point at);
    explicit operator bool() const { return slot_ != 0; }

private:
    send_pacer* pacer_ = nullptr;
    std::uint64_t slot_ = 0;
};

} // namespace zprov
