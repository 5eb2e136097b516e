// Zoom's account plans and create actions: the one table of per-second limits and daily
// create caps, and the forecast of how long an import takes. Throws nothing; lookups
// return std::nullopt for unknown names.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

enum class plan { free, pro, business };

struct plan_limits {
    plan id;
    std::string_view name;         // as given to --plan
    std::string_view title;        // as Zoom's pricing page says it
    double requests_per_second;    // Zoom's "Light" label, shared by every app on the account
    std::int64_t daily_create_cap; // action=create per UTC day
};

std::span<const plan_limits> plan_table();
const plan_limits& limits_of(plan p);
std::optional<plan> parse_plan(std::string_view name);
// "free|pro|business", for help texts and error messages.
std::string plan_names();

enum class create_action { create, auto_create, cust_create, sso_create };

struct action_info {
    create_action id;
    std::string_view name; // Zoom's spelling, as sent in the request body
    bool daily_capped;     // counts against the plan's daily create cap
    bool sends_password;   // user_info.password is taken
    bool allows_type_none; // type 99 is accepted
};

std::span<const action_info> action_table();
const action_info& info_of(create_action a);
std::optional<create_action> parse_action(std::string_view name);
std::string action_names();

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
