// How long an import takes under a plan's limits: the forecast `validate` prints and
// durations for people. The limits themselves are Zoom's facts (zoom/plans.hpp, included
// here for the modules that need both). Throws nothing.
#pragma once

#include "zprov/zoom/plans.hpp"

#include <cstdint>
#include <string>

namespace zprov {

struct forecast {
    std::int64_t days_needed = 0; // UTC days at the daily cap (0 when there is nothing to send)
    double seconds_at_rate = 0;   // sending time at the per-second limit alone
};

// How long `rows` creations take at `rate` per second and `daily_cap` per UTC day
// (daily_cap <= 0: no cap).
forecast forecast_import(std::int64_t rows, double rate, std::int64_t daily_cap);

// "1 h 23 min", "45 s": durations for people.
std::string human_duration(double seconds);

} // namespace zprov
