#include "zprov/plans.hpp"

#include <algorithm>
#include <cmath>

namespace zprov {

forecast forecast_import(std::int64_t rows, double rate, std::int64_t daily_cap) {
    forecast f;
    if (rows <= 0)
        return f;
    f.seconds_at_rate = rate > 0 ? static_cast<double>(rows) / rate : 0.0;
    std::int64_t by_cap = daily_cap > 0 ? (rows + daily_cap - 1) / daily_cap : 1;
    auto by_rate = static_cast<std::int64_t>(std::ceil(f.seconds_at_rate / 86400.0));
    f.days_needed = std::max<std::int64_t>({by_cap, by_rate, 1});
    return f;
}

std::string human_duration(double seconds) {
    auto s = static_cast<std::int64_t>(std::ceil(seconds));
    if (s < 60)
        return std::to_string(s) + " s";
    if (s < 3600)
        return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
    if (s < 86400)
        return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
    return std::to_string(s / 86400) + " d " + std::to_string(s % 86400 / 3600) + " h";
}

} // namespace zprov
