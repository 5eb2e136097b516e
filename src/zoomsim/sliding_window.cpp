#include "zoomsim/sliding_window.hpp"

#include <algorithm>

namespace zoomsim {

void sliding_window::expire(steady_time now) {
    while (!events_.empty() && now - events_.front() >= width_)
        events_.pop_front();
}

bool sliding_window::try_record(steady_time now, std::int64_t limit) {
    expire(now);
    if (static_cast<std::int64_t>(events_.size()) >= limit)
        return false;
    events_.push_back(now);
    busiest_ = std::max(busiest_, static_cast<std::int64_t>(events_.size()));
    return true;
}

void sliding_window::record(steady_time now) {
    expire(now);
    events_.push_back(now);
    busiest_ = std::max(busiest_, static_cast<std::int64_t>(events_.size()));
}

std::int64_t sliding_window::count(steady_time now) {
    expire(now);
    return static_cast<std::int64_t>(events_.size());
}

} // namespace zoomsim
