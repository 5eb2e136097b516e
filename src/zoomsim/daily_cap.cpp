#include "zoomsim/daily_cap.hpp"

#include "zprov/clock.hpp"

namespace zoomsim {

sys_days day_of(utc_time t) {
    return std::chrono::floor<std::chrono::days>(t);
}

std::string format_day(sys_days day) {
    return zprov::utc_day(zprov::sys_seconds(day));
}

std::string midnight_iso(sys_days day) {
    return zprov::iso8601(zprov::sys_seconds(day));
}

bool daily_cap::try_consume(sys_days day) {
    if (day != day_) {
        day_ = day;
        used_ = 0;
    }
    if (used_ >= cap_)
        return false;
    ++used_;
    return true;
}

} // namespace zoomsim
