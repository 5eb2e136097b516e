#include "zprov/token_bucket.hpp"

#include <algorithm>

namespace zprov {

namespace {
constexpr double burst = 1.0;
// After a slow-down the rate climbs back by this fraction of the full rate per second.
constexpr double recovery_per_second = 0.1;
} // namespace

token_bucket::token_bucket(double limit_per_second, clock::time_point now)
    : limit_(limit_per_second), full_rate_(limit_per_second / (1.0 + margin)), rate_(full_rate_),
      last_(now), last_slow_down_(now) {}

void token_bucket::refill(clock::time_point now) {
    if (now <= last_)
        return; // the clock stood still or went back: nothing new is earned
    double elapsed = std::chrono::duration<double>(now - last_).count();
    if (rate_ < full_rate_)
        rate_ = std::min(full_rate_, rate_ + full_rate_ * recovery_per_second * elapsed);
    tokens_ = std::min(burst, tokens_ + elapsed * rate_);
    last_ = now;
}

token_bucket::clock::duration token_bucket::try_take(clock::time_point now) {
    refill(now);
    if (now < last_)
        return std::chrono::duration_cast<clock::duration>(last_ - now) +
               std::chrono::milliseconds(1);
    if (tokens_ >= 1.0) {
        tokens_ -= 1.0;
        return clock::duration::zero();
    }
    auto wait = std::chrono::duration<double>((1.0 - tokens_) / rate_);
    return std::max<clock::duration>(std::chrono::duration_cast<clock::duration>(wait),
                                     std::chrono::microseconds(100));
}

void token_bucket::slow_down(clock::time_point now) {
    refill(now);
    // One halving per second at most: a burst of 429s from one window is one signal.
    if (now - last_slow_down_ < std::chrono::seconds(1) && rate_ < full_rate_)
        return;
    rate_ = std::max(rate_ / 2.0, std::min(0.5, full_rate_));
    tokens_ = std::min(tokens_, 0.0);
    last_slow_down_ = now;
}

} // namespace zprov
