#include "zprov/run/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

double category_rate(plan p, double light_rate, rate_category c) {
    return per_second(p, c) * (light_rate / per_second(p, rate_category::light));
}

void step_forecast::add_row(bool group, bool profile, create_action action) {
    if (info_of(action).user_pending) {
        patches_now += group ? 1 : 0;
        patches_later += profile ? 1 : 0;
    } else if (group || profile) {
        ++patches_now; // group and profile in one request: the user is active at once
    }
}

double step_forecast::seconds_now(plan p, double light_rate) const {
    const double medium = category_rate(p, light_rate, rate_category::medium);
    return (light_rate > 0 ? static_cast<double>(patches_now) / light_rate : 0.0) +
           (medium > 0 ? static_cast<double>(group_lists) / medium : 0.0);
}

double step_forecast::seconds_later(double light_rate) const {
    return light_rate > 0 ? static_cast<double>(patches_later) / light_rate : 0.0;
}

std::string rate_text(double rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, rate == std::floor(rate) ? "%.0f" : "%.2f", rate);
    return buf;
}

std::string describe(const step_forecast& steps, plan p, double light_rate) {
    if (!steps.any())
        return "";
    std::string text = "Group and profile steps: ";
    if (steps.group_lists > 0)
        text += std::to_string(steps.group_lists) + " GET /groups (Medium, " +
                rate_text(category_rate(p, light_rate, rate_category::medium)) + "/s)" +
                (steps.patches_now > 0 ? " and " : "");
    if (steps.patches_now > 0)
        text += std::to_string(steps.patches_now) + " PATCH /users/{id} (Light, " +
                rate_text(light_rate) + "/s, shared with the creates)";
    if (steps.group_lists + steps.patches_now > 0)
        text += " add about " + human_duration(steps.seconds_now(p, light_rate));
    if (steps.patches_later > 0)
        text += std::string(steps.group_lists + steps.patches_now > 0 ? "; " : "") +
                std::to_string(steps.patches_later) +
                " profiles follow by PATCH in a later run, once the invited users are active "
                "(about " +
                human_duration(steps.seconds_later(light_rate)) + ")";
    return text + ".";
}

} // namespace zprov
