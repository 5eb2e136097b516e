// The simulator's own endpoints under /_sim, for tests and the demo: its statistics, its
// users, the arrival times of API requests, a new UTC day, moving the calendar, users
// accepting invitations (at once or on a trigger) and DELETEs scripted to fail after
// acting. Not counted as the client's traffic, not authenticated, and about the app's own
// account.
#include "zoomsim/simulator.hpp"

#include "zoomsim/sim_replies.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

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

// {"email": E, `kind`: K, `count`: N (default 1)}, the body of the control calls that arm
// something for one user; std::nullopt when it is not that.
struct arming {
    std::string email, kind;
    int count;
};
std::optional<arming> read_arming(std::string_view body, const char* kind, const char* count) {
    const auto doc = ordered_json::parse(body, nullptr, false);
    if (!doc.is_object() || !doc.value("email", ordered_json()).is_string() ||
        !doc.value(kind, ordered_json()).is_string() ||
        !doc.value(count, ordered_json(1)).is_number_integer())
        return std::nullopt;
    return arming{doc["email"].get<std::string>(), doc[kind].get<std::string>(),
                  doc.value(count, 1)};
}

sim_reply bad_control(std::string_view what) {
    return json_reply(400, ordered_json{{"error", what}});
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
    if (method == "POST" && path == "/_sim/activate-on")
        return activate_on(request.body);
    if (method == "POST" && path == "/_sim/delete-fault")
        return delete_fault(request.body);
    if (method == "POST" && path == "/_sim/advance")
        return advance(request.body);
    return json_reply(404, ordered_json{{"error", "no such simulator endpoint"}});
}

// POST /_sim/activate: pending users accept Zoom's invitation. The body names them,
// {"emails": ["a@example.com", ...]}, or takes every one, {"all": true}; it answers
// {"activated": N}, the pending users it turned active (never an expired invitation).
sim_reply simulator::activate(std::string_view body) {
    const auto doc = ordered_json::parse(body, nullptr, false);
    const bool all = doc.is_object() && doc.value("all", false) == true;
    const auto emails = doc.is_object() ? doc.find("emails") : doc.end();
    const bool listed =
        emails != doc.end() && emails->is_array() &&
        std::all_of(emails->begin(), emails->end(), [](const auto& e) { return e.is_string(); });
    if (!all && !listed)
        return bad_control(R"(give {"all": true} or {"emails": [...]})");
    return json_reply(
        200,
        ordered_json{{"activated", all ? own_.activate_all()
                                       : own_.activate(emails->get<std::vector<std::string>>())}});
}

// POST /_sim/activate-on {"email": E, "on": "list"|"get"|"delete", "nth": N (default 1)}:
// E accepts its invitation after the Nth page of GET /users?status=pending from now is
// served, or as the Nth GET /users/{id} or DELETE /users/{id} of E arrives (before it is
// answered): a user accepting between a client's list and its DELETE.
sim_reply simulator::activate_on(std::string_view body) {
    const auto armed = read_arming(body, "on", "nth");
    if (!armed || !own_.activate_on(armed->email, armed->kind, armed->count))
        return bad_control(R"(give {"email": E, "on": "list"|"get"|"delete", "nth": N})");
    return json_reply(200, ordered_json{{"armed", true}});
}

// POST /_sim/delete-fault {"email": E, "fault": "concurrent-429"|"drop", "times": N
// (default 1)}: the next N DELETEs of E's user act (the user is deleted), then answer 429
// "Too many concurrent requests. A request to disassociate this user has already been
// made." or close the connection without an answer.
sim_reply simulator::delete_fault(std::string_view body) {
    const auto armed = read_arming(body, "fault", "times");
    if (!armed || !own_.fault_deletes(armed->email, armed->kind, armed->count))
        return bad_control(R"(give {"email": E, "fault": "concurrent-429"|"drop", "times": N})");
    return json_reply(200, ordered_json{{"armed", true}});
}

// POST /_sim/advance {"days": D, "seconds": S} moves zoomsim's calendar forward: creation
// times, invitations (they expire after --invitation-days) and the UTC day of the daily
// cap. Per-second windows and token lifetimes keep the real clock. Answers {"now": ISO}.
sim_reply simulator::advance(std::string_view body) {
    const auto doc = ordered_json::parse(body, nullptr, false);
    const auto days = doc.is_object() ? doc.value("days", ordered_json(0)) : ordered_json();
    const auto seconds = doc.is_object() ? doc.value("seconds", ordered_json(0)) : ordered_json();
    if (!days.is_number_integer() || !seconds.is_number_integer() || days.get<std::int64_t>() < 0 ||
        seconds.get<std::int64_t>() < 0)
        return bad_control(R"(give {"days": D, "seconds": S}, neither negative)");
    calendar_offset_ += std::chrono::days{days.get<std::int64_t>()} +
                        std::chrono::seconds{seconds.get<std::int64_t>()};
    return json_reply(200, ordered_json{{"now", iso_time(now())}});
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
    auto sub_account_users = ordered_json::object();
    for (const auto& [id, sub] : sub_accounts_)
        sub_account_users[id] = sub.emails();
    auto stats = ordered_json{
        {"requests_total", counts_.requests_total},
        {"users_total", own_.size()},
        {"pending_users", own_.pending_count()},
        {"expired_invitations", own_.expired_count()},
        {"sub_account_users", sub_account_users},
        {"creations_by_email", account_stats_.creations_by_email},
        {"created", counts_.created},
        {"conflicts", counts_.conflicts},
        {"seats_refused", counts_.seats_refused},
        {"scope_refused", counts_.scope_refused},
        {"oauth_query_fields", counts_.oauth_query_fields},
        {"licensed_users", account_stats_.licensed},
        {"calls_by_operation", calls_by_operation_},
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
    account_stats_json(stats);
    return stats.dump();
}

// What happened to the accounts' users, summed over the accounts.
void simulator::account_stats_json(ordered_json& stats) const {
    const auto& a = account_stats_;
    stats["lookups"] = a.lookups;
    stats["expired_answers"] = a.expired_answers;
    stats["group_lists"] = a.group_lists;
    stats["user_lists"] = a.user_lists;
    stats["patches"] = a.patches;
    stats["groups_set"] = a.groups_set;
    stats["group_id_ignored"] = a.group_id_ignored;
    stats["profiles_applied"] = a.profiles_applied;
    stats["profiles_to_pending"] = a.profiles_to_pending;
    stats["profile_fields_to_pending"] = a.profile_fields_to_pending;
    stats["member_calls"] = a.member_calls;
    stats["members_added"] = a.members_added;
    stats["member_moves"] = a.member_moves;
    stats["primary_sets"] = a.primary_sets;
    stats["deletes"] = a.deletes;
    stats["deletes_of_pending"] = a.deletes_of_pending;
    stats["deletes_of_active"] = a.deletes_of_active;
    stats["delete_misses"] = a.delete_misses;
    stats["delete_faults"] = a.delete_faults;
    stats["deletions_by_email"] = a.deletions_by_email;
    stats["deletions_by_id"] = a.deletions_by_id;
    stats["activations"] = a.activations;
}

} // namespace zoomsim
