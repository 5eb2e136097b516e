#include "zoomsim/calendar.hpp"

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

std::string iso_time(utc_time t) {
    const auto day = day_of(t);
    const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(t - day)};
    char text[16];
    std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return format_day(day) + text;
}

sim_clock sim_clock::real() {
    return {[] { return std::chrono::steady_clock::now(); },
            [] { return std::chrono::system_clock::now(); }};
}

} // namespace zoomsim
