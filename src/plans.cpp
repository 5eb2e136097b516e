#include "zprov/plans.hpp"

#include "zprov/name_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace zprov {

namespace {
constexpr std::array plans{
    plan_limits{plan::free, "free", "Free", 4.0, 50},
    plan_limits{plan::pro, "pro", "Pro", 30.0, 1500},
    plan_limits{plan::business, "business", "Business+", 80.0, 10000},
};

constexpr std::array actions{
    action_info{create_action::create, "create", true, false, false},
    action_info{create_action::auto_create, "autoCreate", false, true, false},
    action_info{create_action::cust_create, "custCreate", false, false, false},
    action_info{create_action::sso_create, "ssoCreate", false, false, true},
};

} // namespace

std::span<const plan_limits> plan_table() {
    return plans;
}

const plan_limits& limits_of(plan p) {
    return row_with(plans, p);
}

std::optional<plan> parse_plan(std::string_view name) {
    if (auto id = id_named(plans, name))
        return id;
    if (name == "business+" || name == "enterprise")
        return plan::business;
    return std::nullopt;
}

std::string plan_names() {
    return joined_names(plans);
}

std::span<const action_info> action_table() {
    return actions;
}

const action_info& info_of(create_action a) {
    return row_with(actions, a);
}

std::optional<create_action> parse_action(std::string_view name) {
    return id_named(actions, name);
}

std::string action_names() {
    return joined_names(actions);
}

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
