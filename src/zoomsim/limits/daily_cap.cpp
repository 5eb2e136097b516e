#include "zoomsim/limits/daily_cap.hpp"

namespace zoomsim {

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
