// The per-second limit: one token bucket shared by every worker, on a monotonic clock
// that callers pass in (so tests can drive it). Burst is one request and the rate keeps
// a safety margin below the limit, so that no one-second window holds more than `limit`
// requests even when the server sees them up to margin/2 seconds early or late. On a
// per-second 429 the rate halves and then recovers gradually, since other apps share the
// account's limit. Throws nothing.
#pragma once

#include <chrono>

namespace zprov {

class token_bucket {
public:
    using clock = std::chrono::steady_clock;
    // Fraction of a second kept free in every window for jitter (30 ms in 1 s).
    static constexpr double margin = 0.03;

    token_bucket(double limit_per_second, clock::time_point now);

    // Takes a token if one is there (returns zero), else returns how long until one is.
    // Grants nothing while the clock reads earlier than it did before.
    clock::duration try_take(clock::time_point now);

    // A per-second 429: halve the rate (down to a floor) from `now` on.
    void slow_down(clock::time_point now);

    double limit() const { return limit_; }
    double rate() const { return rate_; }

private:
    void refill(clock::time_point now);

    double limit_;
    double full_rate_; // the rate with no recent 429
    double rate_;
    double tokens_ = 1.0;
    clock::time_point last_;
    clock::time_point last_slow_down_;
};

} // namespace zprov
