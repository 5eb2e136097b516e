#include "zoomsim/limits/rate_limits.hpp"

#include "zoomsim/options.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/plans.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
namespace zoom_api = zprov::zoom_api;

// Arrival times GET /_sim/calls keeps per category: enough for any test, bounded for soaks.
constexpr std::size_t max_arrivals = 200000;

std::string category_name(zprov::rate_category c) {
    return std::string(zprov::info_of(c).name);
}

std::int64_t limit_of(std::int64_t given, zprov::plan p, zprov::rate_category c) {
    return given > 0 ? given : static_cast<std::int64_t>(zprov::per_second(p, c));
}

sim_reply rate_limited(const api_error& error, std::string_view type, std::string category) {
    auto reply = error_reply(error);
    reply.headers = {{std::string(zoom_api::rate_limit_category_header), std::move(category)},
                     {std::string(zoom_api::rate_limit_type_header), std::string(type)}};
    return reply;
}

// {"Light": figures[light], "Medium": figures[medium]}.
template <typename Figure>
ordered_json by_category(const std::array<Figure, 2>& figures) {
    ordered_json out = ordered_json::object();
    for (const auto& c : zprov::rate_category_table())
        out[std::string(c.name)] = figures[static_cast<std::size_t>(c.id)];
    return out;
}
} // namespace

rate_limits::rate_limits(const sim_options& options, steady_time started, sys_days today)
    : options_(options),
      per_second_{limit_of(options.qps, options.plan, zprov::rate_category::light),
                  limit_of(options.medium_qps, options.plan, zprov::rate_category::medium)},
      started_(started),
      daily_(options.daily_cap > 0 ? options.daily_cap
                                   : zprov::limits_of(options.plan).daily_create_cap) {
    if (options.spent_today > 0)
        daily_.spend(today, options.spent_today);
}

// Each category has its own window: Medium calls do not spend Light's limit.
std::optional<sim_reply> rate_limits::per_second_refusal(std::string_view method,
                                                         std::string_view api_path,
                                                         steady_time now) {
    seen_.record(now);
    const auto category =
        zoom_api::category_of(method, api_path.substr(zoom_api::version_path.size()))
            .value_or(zprov::rate_category::light);
    const auto at = static_cast<std::size_t>(category);
    seen_by_category_[at].record(now);
    if (auto& arrivals = arrivals_ms_[at]; arrivals.size() < max_arrivals) {
        // In time order: requests on several connections may be handled out of order.
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - started_).count();
        arrivals.insert(std::upper_bound(arrivals.begin(), arrivals.end(), ms), ms);
    }
    if (admitted_[at].try_record(now, per_second_[at]))
        return std::nullopt;
    ++counts_.rate_limited_qps;
    ++refused_by_category_[at];
    return rate_limited(per_second_limited(), zoom_api::per_second_limit_type,
                        category_name(category));
}

void rate_limits::create_arrived(sys_days day) {
    if (daily_.refused_on(day))
        ++counts_.requests_after_daily_limit;
}

std::optional<sim_reply> rate_limits::daily_refusal(sys_days day) {
    if (daily_.try_consume(day))
        return std::nullopt;
    daily_.note_refusal(day);
    ++counts_.rate_limited_daily;
    if (options_.bare_daily_429) // only the body says it is the daily limit
        return error_reply(daily_limited(daily_.cap()));
    auto reply =
        rate_limited(daily_limited(daily_.cap()), zoom_api::daily_limit_type,
                     category_name(zoom_api::info_of(zoom_api::operation::create_user).category));
    reply.headers.emplace_back(zoom_api::rate_limit_limit_header, std::to_string(daily_.cap()));
    reply.headers.emplace_back(zoom_api::rate_limit_remaining_header, "0");
    // Retry-After is an ISO date-time, the next 00:00 UTC (FACTS.md, answer codes: 429).
    // Whose clock it is read by is not documented: --past-daily-retry-after models the least
    // helpful plausible answer, a time already past by the client's clock.
    reply.headers.emplace_back(
        zoom_api::retry_after_header,
        midnight_iso(options_.past_daily_retry_after ? day : day + std::chrono::days{1}));
    return reply;
}

void rate_limits::add_quota_headers(sim_reply& reply, sys_days day) const {
    if (!options_.quota_headers)
        return;
    reply.headers.emplace_back(zoom_api::rate_limit_limit_header, std::to_string(daily_.cap()));
    reply.headers.emplace_back(zoom_api::rate_limit_remaining_header,
                               std::to_string(daily_.remaining(day)));
}

ordered_json rate_limits::limits_json() const {
    return by_category(per_second_);
}

ordered_json rate_limits::busiest_json() const {
    return by_category(std::array{seen_by_category_[0].busiest(), seen_by_category_[1].busiest()});
}

ordered_json rate_limits::refused_json() const {
    return by_category(refused_by_category_);
}

std::string rate_limits::calls_json() const {
    return ordered_json{{"arrivals_ms", by_category(arrivals_ms_)}}.dump();
}

} // namespace zoomsim
