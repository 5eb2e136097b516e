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
// "30", "2.50": a rate per second for people.
std::string rate_text(double rate);

// The rate of category `c` when Light (the category of POST /users) runs at `light_rate`:
// the plan's limit for `c`, scaled by light_rate's share of the plan's Light limit, so that
// --rate 15 on Pro leaves half of every category to other apps.
double category_rate(plan p, double light_rate, rate_category c);

// The requests after the creates: one GET /groups (Medium) per run when the sheet names
// groups, and one PATCH /users/{id} (Light) per row with a group or profile fields. With
// action=create the group is set at once and the profile later, once the invited user is
// active (Zoom drops profile changes sent to a pending user): two PATCHes for a row with
// both.
struct step_forecast {
    std::int64_t group_lists = 0;   // GET /groups in this run
    std::int64_t patches_now = 0;   // PATCH /users/{id} in this run
    std::int64_t patches_later = 0; // ... in a later run, once the users are active

    void add_row(bool group, bool profile, create_action action);
    bool any() const { return group_lists + patches_now + patches_later > 0; }
    // What this run's steps add to the sending time at `light_rate` (Light) and the
    // Medium rate that goes with it; the later PATCHes' time at `light_rate`.
    double seconds_now(plan p, double light_rate) const;
    double seconds_later(double light_rate) const;
};

// One sentence for people: the steps' requests and the time they add, or "" for none.
std::string describe(const step_forecast& steps, plan p, double light_rate);

} // namespace zprov
