#include "zprov/send_pacer.hpp"

#include <algorithm>
#include <cmath>

namespace zprov {

namespace {
using seconds_d = std::chrono::duration<double>;

// After a slow-down the rate climbs back by this fraction of the full rate per second.
constexpr double recovery_per_second = 0.1;
// A slowed-down schedule never goes below this (requests per second).
constexpr double floor_rate = 0.5;
// The longest wait handed out while every slot is granted but not yet written.
constexpr auto open_slot_poll = std::chrono::milliseconds(5);

send_pacer::clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<send_pacer::clock::duration>(seconds_d(seconds));
}
} // namespace

send_pacer::send_pacer(double rate_per_second, clock::time_point now)
    : capacity_(std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(rate_per_second)))),
      window_(to_duration(static_cast<double>(capacity_) / rate_per_second) + margin),
      full_rate_(static_cast<double>(capacity_) / seconds_d(window_).count()), rate_(full_rate_),
      catch_up_(window_ / 4), next_(now - catch_up_), last_recovery_(now), last_slow_down_(now) {}

void send_pacer::recover(clock::time_point now) {
    if (now <= last_recovery_)
        return;
    if (rate_ < full_rate_)
        rate_ = std::min(full_rate_, rate_ + full_rate_ * recovery_per_second *
                                                 seconds_d(now - last_recovery_).count());
    last_recovery_ = now;
}

std::int64_t send_pacer::in_window(clock::time_point now) {
    while (!sent_.empty() && sent_.front() <= now - window_)
        sent_.pop_front();
    return static_cast<std::int64_t>(sent_.size() + open_.size());
}

send_pacer::grant send_pacer::try_take(clock::time_point now) {
    recover(now);
    clock::duration wait{};
    if (in_window(now) >= capacity_)
        wait = sent_.empty() ? clock::duration(open_slot_poll) : sent_.front() + window_ - now;
    if (now < next_)
        wait = std::max(wait, next_ - now);
    if (wait > clock::duration::zero())
        return {0, std::max<clock::duration>(wait, std::chrono::microseconds(100))};
    next_ = std::max(next_, now - catch_up_) + to_duration(1.0 / rate_);
    open_.push_back(next_slot_);
    return {next_slot_++, {}};
}

void send_pacer::sent(std::uint64_t slot, clock::time_point at) {
    unused(slot);
    // Write times arrive nearly in order: insert from the back.
    auto pos = sent_.end();
    while (pos != sent_.begin() && *(pos - 1) > at)
        --pos;
    sent_.insert(pos, at);
}

void send_pacer::unused(std::uint64_t slot) {
    if (auto it = std::find(open_.begin(), open_.end(), slot); it != open_.end())
        open_.erase(it);
}

void send_pacer::slow_down(clock::time_point now) {
    recover(now);
    // One halving per second at most: a burst of 429s from one window is one signal.
    if (now - last_slow_down_ < std::chrono::seconds(1) && rate_ < full_rate_)
        return;
    rate_ = std::max(rate_ / 2.0, std::min(floor_rate, full_rate_));
    next_ = std::max(next_, now) + to_duration(1.0 / rate_); // no catching up after a 429
    last_slow_down_ = now;
}

pacer_ticket& pacer_ticket::operator=(pacer_ticket&& other) noexcept {
    if (this != &other) {
        if (slot_ != 0)
            pacer_->unused(slot_);
        pacer_ = other.pacer_;
        slot_ = std::exchange(other.slot_, 0);
    }
    return *this;
}

pacer_ticket::~pacer_ticket() {
    if (slot_ != 0)
        pacer_->unused(slot_);
}

void pacer_ticket::sent(send_pacer::clock::time_point at) {
    if (slot_ != 0)
        pacer_->sent(std::exchange(slot_, 0), at);
}

} // namespace zprov
