#include "zoomsim/daily_cap.hpp"

#include <cstdio>

namespace zoomsim {

sys_days day_of(utc_time t) {
    return std::chrono::floor<std::chrono::days>(t);
}

std::string format_day(sys_days day) {
    const std::chrono::year_month_day date{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

std::string midnight_iso(sys_days day) {
    return format_day(day) + "T00:00:00Z";
}

void daily_cap::spend(sys_days day, std::int64_t n) {
    if (day != day_) {
        day_ = day;
        used_ = 0;
    }
    used_ += n;
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
