#include "zoomsim/limits/sliding_window.hpp"

#include <algorithm>

namespace zoomsim {

// Events are kept in time order. They may be recorded a little out of order: a server
// times each request when its first bytes are read, and with several connections one
// request may be handled before another that began earlier.
void sliding_window::expire(steady_time now) {
    const auto newest = events_.empty() ? now : std::max(now, events_.back());
    while (!events_.empty() && newest - events_.front() >= width_)
        events_.pop_front();
}

std::int64_t sliding_window::ending_at(steady_time at) const {
    const auto first = std::upper_bound(events_.begin(), events_.end(), at - width_);
    const auto last = std::upper_bound(events_.begin(), events_.end(), at);
    return static_cast<std::int64_t>(last - first);
}

// The most events in one window holding `at`: such a window ends at `at` or at a later
// event less than a width after it.
std::int64_t sliding_window::busiest_around(steady_time at) const {
    auto most = ending_at(at);
    for (auto it = std::upper_bound(events_.begin(), events_.end(), at);
         it != events_.end() && *it - at < width_; ++it)
        most = std::max(most, ending_at(*it));
    return most;
}

void sliding_window::insert(steady_time at) {
    events_.insert(std::upper_bound(events_.begin(), events_.end(), at), at);
    busiest_ = std::max(busiest_, busiest_around(at));
}

// Admitted only if no window holding it goes over the limit: an event recorded late (out
// of order) is refused when a later one already filled a window it belongs to.
bool sliding_window::try_record(steady_time now, std::int64_t limit) {
    expire(now);
    if (busiest_around(now) >= limit)
        return false;
    insert(now);
    return true;
}

void sliding_window::record(steady_time now) {
    expire(now);
    insert(now);
}

std::int64_t sliding_window::count(steady_time now) {
    expire(now);
    return ending_at(now);
}

} // namespace zoomsim
