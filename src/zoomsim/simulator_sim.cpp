// The simulator's own endpoints under /_sim, for tests and the demo: its statistics, its
// users, the arrival times of API requests, a new UTC day and users accepting invitations.
// Not counted as the client's traffic and not authenticated.
#include "zoomsim/simulator.hpp"

#include "zoomsim/sim_replies.hpp"

#include <nlohmann/json.hpp>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;

// {"Light": figures[light], "Medium": figures[medium]}.
template <typename Figure>
ordered_json by_category(const std::array<Figure, 2>& figures) {
    ordered_json out = ordered_json::object();
    for (const auto& c : zprov::rate_category_table())
        out[std::string(c.name)] = figures[static_cast<std::size_t>(c.id)];
    return out;
}

} // namespace

sim_reply simulator::sim_endpoint(const sim_request& request, std::string_view path) {
    const auto method = request.method;
    if (method == "GET" && path == "/_sim/stats") {
        sim_reply reply;
        reply.body = stats_locked();
        return reply;
    }
    if (method == "GET" && path == "/_sim/users") {
        sim_reply reply;
        reply.body = users_json();
        return reply;
    }
    if (method == "POST" && path == "/_sim/next-day") {
        ++day_offset_;
        return json_reply(200, ordered_json{{"day", format_day(today())}});
    }
    if (method == "GET" && path == "/_sim/calls") {
        sim_reply reply;
        reply.body = calls_json();
        return reply;
    }
    if (method == "POST" && path == "/_sim/activate")
        return activate(request.body);
    return json_reply(404, ordered_json{{"error", "no such simulator endpoint"}});
}

// Called with the mutex held (from sim_endpoint).
std::string simulator::calls_json() const {
    return ordered_json{{"arrivals_ms", by_category(arrivals_ms_)}}.dump();
}

std::string simulator::stats_json() {
    std::lock_guard lock(mutex_);
    return stats_locked();
}

std::string simulator::stats_locked() {
    ordered_json statuses = ordered_json::object();
    for (const auto& [status, count] : status_counts_)
        statuses[std::to_string(status)] = count;
    const auto day = today();
    const std::array busiest{seen_by_category_[0].busiest(), seen_by_category_[1].busiest()};
    auto stats = ordered_json{
        {"requests_total", counts_.requests_total},
        {"users_total", users_.size()},
        {"pending_users", pending_users()},
        {"sub_account_users", sub_account_users()},
        {"creations_by_email", creations_by_email_},
        {"created", counts_.created},
        {"conflicts", counts_.conflicts},
        {"lookups", counts_.lookups},
        {"seats_refused", counts_.seats_refused},
        {"scope_refused", counts_.scope_refused},
        {"oauth_query_fields", counts_.oauth_query_fields},
        {"licensed_users", licensed_},
        {"status_counts", statuses},
        {"max_requests_in_one_second", seen_.busiest()},
        {"rate_limited_qps", counts_.rate_limited_qps},
        {"per_second_limits", by_category(per_second_)},
        {"max_in_one_second_by_category", by_category(busiest)},
        {"rate_limited_qps_by_category", by_category(rate_limited_by_category_)},
        {"rate_limited_daily", counts_.rate_limited_daily},
        {"requests_after_daily_limit", counts_.requests_after_daily_limit},
        {"token_grants", counts_.token_grants},
        {"auth_failures", counts_.auth_failures},
        {"max_concurrent_requests", counts_.max_concurrent},
        {"connections_total", counts_.connections},
        {"connections_closed_idle", counts_.connections_closed_idle},
        {"dropped", counts_.dropped},
        {"commit_dropped", counts_.commit_dropped},
        {"failed_injected", counts_.failed_injected},
        {"day", format_day(day)},
        {"creates_today", daily_.used(day)},
        {"daily_cap", daily_.cap()},
    };
    profile_stats(stats);
    return stats.dump();
}

} // namespace zoomsim
