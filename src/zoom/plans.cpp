#include "zprov/zoom/plans.hpp"

#include "zprov/base/name_table.hpp"

#include <array>

namespace zprov {

namespace {
constexpr std::array categories{
    rate_category_info{rate_category::light, "Light"},
    rate_category_info{rate_category::medium, "Medium"},
};

// zoom/FACTS.md, "Rate-limit categories" and the daily cap of POST /users.
constexpr std::array plans{
    plan_limits{plan::free, "free", "Free", 4.0, 2.0, 50},
    plan_limits{plan::pro, "pro", "Pro", 30.0, 20.0, 1500},
    plan_limits{plan::business, "business", "Business+", 80.0, 60.0, 10000},
};

constexpr std::array actions{
    action_info{create_action::create, "create", true, false, false, true},
    action_info{create_action::auto_create, "autoCreate", false, true, false, false},
    action_info{create_action::cust_create, "custCreate", false, false, false, false},
    action_info{create_action::sso_create, "ssoCreate", false, false, true, false},
};

} // namespace

std::span<const rate_category_info> rate_category_table() {
    return categories;
}

const rate_category_info& info_of(rate_category c) {
    return row_with(categories, c);
}

std::span<const plan_limits> plan_table() {
    return plans;
}

const plan_limits& limits_of(plan p) {
    return row_with(plans, p);
}

double per_second(plan p, rate_category c) {
    const auto& limits = limits_of(p);
    return c == rate_category::light ? limits.requests_per_second : limits.medium_per_second;
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

} // namespace zprov
