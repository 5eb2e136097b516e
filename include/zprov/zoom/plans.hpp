// Zoom's facts about accounts and create actions, shared by zprov and zoomsim: the one
// table of per-second limits by rate-limit category and daily create caps per plan, and
// the one table of POST /users actions. Throws nothing; lookups return std::nullopt for
// unknown names.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

enum class plan { free, pro, business };

// Zoom's rate-limit labels; every API call belongs to one (see zoom/api.hpp).
enum class rate_category { light, medium };

struct rate_category_info {
    rate_category id;
    std::string_view name; // as Zoom's X-RateLimit-Category header spells it
};

std::span<const rate_category_info> rate_category_table();
const rate_category_info& info_of(rate_category c);

struct plan_limits {
    plan id;
    std::string_view name;  // as given to --plan
    std::string_view title; // as Zoom's pricing page says it
    // Per second and per account, shared by every app on it. requests_per_second is the
    // Light category, the one POST /users belongs to; per_second() picks by category.
    double requests_per_second;
    double medium_per_second;
    std::int64_t daily_create_cap; // action=create per UTC day
};

std::span<const plan_limits> plan_table();
const plan_limits& limits_of(plan p);
double per_second(plan p, rate_category c);
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
    bool user_pending;     // the user stays pending until they accept Zoom's invitation
};

std::span<const action_info> action_table();
const action_info& info_of(create_action a);
std::optional<create_action> parse_action(std::string_view name);
std::string action_names();

} // namespace zprov
