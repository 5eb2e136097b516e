#include "zprov/run/send_pacer.hpp"

#include <algorithm>
#include <cmath>

namespace zprov {

namespace {
using seconds_d = std::chrono::duration<double>;

// On a 429 the rate drops to this fraction of what Zoom accepted in the last second...
constexpr double decrease = 0.75;
// ...and climbs back by this fraction of that per second, at least by floor_rate.
constexpr double increase_fraction = 0.05;
// Above the trusted rate, each second Zoom accepted at the rate then raises it by this
// fraction, when it accepted at least this share of that rate (it was used, so it is proven).
constexpr double climb_fraction = 0.1;
constexpr double climb_evidence = 0.9;
constexpr auto evidence_after = std::chrono::seconds(2); // from the first answer accepted
// A slowed-down schedule never goes below this (requests per second), nor below this
// fraction of the full rate.
constexpr double floor_rate = 0.5;
constexpr double floor_fraction = 0.01;
// The longest wait handed out while every slot is granted but not yet written.
constexpr auto open_slot_poll = std::chrono::milliseconds(5);

send_pacer::clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<send_pacer::clock::duration>(seconds_d(seconds));
}
} // namespace

send_pacer::send_pacer(double rate_per_second, clock::time_point now, double trusted_rate)
    : capacity_(std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(rate_per_second)))),
      window_(to_duration(static_cast<double>(capacity_) / rate_per_second) + margin),
      full_rate_(static_cast<double>(capacity_) / seconds_d(window_).count()),
      rate_(trusted_rate > 0 && trusted_rate < rate_per_second
                ? std::floor(trusted_rate) / seconds_d(window_).count()
                : full_rate_),
      trusted_(rate_), increase_(std::max(floor_rate, trusted_ * increase_fraction)),
      floor_(std::min(full_rate_, std::max(floor_rate, full_rate_ * floor_fraction))),
      catch_up_(window_ / 4), next_(now - catch_up_), last_recovery_(now), last_slow_down_(now),
      last_climb_(now) {}

std::int64_t send_pacer::window_limit() const {
    const auto at_rate =
        static_cast<std::int64_t>(std::floor(rate_ * seconds_d(window_).count() + 1e-6));
    return std::clamp<std::int64_t>(at_rate, 1, capacity_);
}

void send_pacer::recover(clock::time_point now) {
    if (now <= last_recovery_)
        return;
    if (rate_ < trusted_)
        rate_ = std::min(trusted_, rate_ + increase_ * seconds_d(now - last_recovery_).count());
    last_recovery_ = now;
}

void send_pacer::climb(clock::time_point now) {
    // Not before Zoom has taken a whole second at the trusted rate, after the first: the
    // opening second holds no more than the trusted rate.
    if (rate_ < trusted_ || rate_ >= full_rate_ || now - first_accepted_ < evidence_after ||
        now - last_climb_ < std::chrono::seconds(1) ||
        now - last_slow_down_ < std::chrono::seconds(1))
        return;
    if (static_cast<double>(accepted_.size()) < climb_evidence * rate_)
        return; // the rate was not used: nothing says Zoom takes more
    rate_ = std::min(full_rate_, rate_ + std::max(floor_rate, rate_ * climb_fraction));
    last_climb_ = now;
}

std::int64_t send_pacer::in_window(clock::time_point now) {
    while (!sent_.empty() && sent_.front() <= now - window_)
        sent_.pop_front();
    return static_cast<std::int64_t>(sent_.size() + open_.size());
}

send_pacer::grant send_pacer::try_take(clock::time_point now) {
    recover(now);
    clock::duration wait{};
    if (in_window(now) >= window_limit())
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
    counted(at);
}

void send_pacer::counted(clock::time_point at) {
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

void send_pacer::accepted(clock::time_point now) {
    if (first_accepted_ == clock::time_point{})
        first_accepted_ = now;
    starved_ = false;
    accepted_.push_back(now);
    while (accepted_.front() <= now - std::chrono::seconds(1))
        accepted_.pop_front();
    climb(now);
}

bool send_pacer::slow_down(clock::time_point now, clock::time_point sent) {
    recover(now);
    if (slowed_ && sent < last_slow_down_ + std::chrono::seconds(1))
        return false;
    slowed_ = true;
    while (!accepted_.empty() && accepted_.front() <= now - std::chrono::seconds(1))
        accepted_.pop_front();
    const double taken = static_cast<double>(accepted_.size()); // per second, as Zoom took them
    rate_ = std::max(floor_, decrease * std::min(rate_, taken));
    starved_ = accepted_.empty();
    increase_ = std::max(floor_rate, taken * increase_fraction);
    // No catching up after a 429, and nothing sent before Zoom's window can hold more: the
    // oldest request it took in the last second leaves it a second after it was answered.
    auto room =
        accepted_.empty() ? now : std::max(now, accepted_.front() + std::chrono::seconds(1));
    next_ = std::max(next_, room) + to_duration(1.0 / rate_);
    last_slow_down_ = now;
    return true;
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
