// The simulator's own endpoints under /_sim, for tests and the demo: its statistics, its
// users, the arrival times of API requests, a new UTC day, moving the calendar, users
// accepting invitations (at once or on a trigger) and DELETEs scripted to fail after
// acting. Not counted as the client's traffic, not authenticated, and about the app's own
// account.
#include "zoomsim/simulator.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;

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

sim_reply simulator::control(const sim_request& request, std::string_view path) {
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
        calendar_.next_day();
        return json_reply(200, ordered_json{{"day", format_day(calendar_.today())}});
    }
    if (method == "GET" && path == "/_sim/calls") {
        sim_reply reply;
        reply.body = limits_.calls_json();
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
        200, ordered_json{{"activated",
                           all ? own_.users().activate_all()
                               : own_.users().activate(emails->get<std::vector<std::string>>())}});
}

// POST /_sim/activate-on {"email": E, "on": "list"|"get"|"delete", "nth": N (default 1)}:
// E accepts its invitation after the Nth page of GET /users?status=pending from now is
// served, or as the Nth GET /users/{id} or DELETE /users/{id} of E arrives (before it is
// answered): a user accepting between a client's list and its DELETE.
sim_reply simulator::activate_on(std::string_view body) {
    const auto armed = read_arming(body, "on", "nth");
    if (!armed || !own_.users().activate_on(armed->email, armed->kind, armed->count))
        return bad_control(R"(give {"email": E, "on": "list"|"get"|"delete", "nth": N})");
    return json_reply(200, ordered_json{{"armed", true}});
}

// POST /_sim/delete-fault {"email": E, "fault": "concurrent-429"|"drop", "times": N
// (default 1)}: the next N DELETEs of E's user act (the user is deleted), then answer 429
// "Too many concurrent requests. A request to disassociate this user has already been
// made." or close the connection without an answer.
sim_reply simulator::delete_fault(std::string_view body) {
    const auto armed = read_arming(body, "fault", "times");
    if (!armed || !own_.users().fault_deletes(armed->email, armed->kind, armed->count))
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
    calendar_.advance(std::chrono::days{days.get<std::int64_t>()} +
                      std::chrono::seconds{seconds.get<std::int64_t>()});
    return json_reply(200, ordered_json{{"now", iso_time(calendar_.now())}});
}

std::string simulator::stats_json() {
    std::lock_guard lock(mutex_);
    return stats_locked();
}

std::string simulator::stats_locked() {
    ordered_json statuses = ordered_json::object();
    for (const auto& [status, count] : status_counts_)
        statuses[std::to_string(status)] = count;
    const auto day = calendar_.today();
    auto sub_account_users = ordered_json::object();
    for (const auto& [id, sub] : sub_accounts_)
        sub_account_users[id] = sub.users().emails();
    const auto& users = own_.users();
    const auto& limited = limits_.count();
    const auto& access = access_.count();
    const auto& faults = faults_.count();
    const auto& u = user_stats_;
    const auto& g = group_stats_;
    return ordered_json{
        {"requests_total", counts_.requests_total},
        {"users_total", users.size()},
        {"pending_users", users.pending_count()},
        {"expired_invitations", users.expired_count()},
        {"sub_account_users", sub_account_users},
        {"creations_by_email", u.creations_by_email},
        {"created", counts_.created},
        {"conflicts", counts_.conflicts},
        {"seats_refused", counts_.seats_refused},
        {"scope_refused", access.scope_refused},
        {"oauth_query_fields", access.oauth_query_fields},
        {"licensed_users", u.licensed},
        {"calls_by_operation", calls_by_operation_},
        {"status_counts", statuses},
        {"max_requests_in_one_second", limits_.busiest()},
        {"rate_limited_qps", limited.rate_limited_qps},
        {"per_second_limits", limits_.limits_json()},
        {"max_in_one_second_by_category", limits_.busiest_json()},
        {"rate_limited_qps_by_category", limits_.refused_json()},
        {"rate_limited_daily", limited.rate_limited_daily},
        {"requests_after_daily_limit", limited.requests_after_daily_limit},
        {"token_grants", access.token_grants},
        {"auth_failures", access.auth_failures},
        {"max_concurrent_requests", counts_.max_concurrent},
        {"connections_total", counts_.connections},
        {"connections_closed_idle", counts_.connections_closed_idle},
        {"dropped", faults.dropped},
        {"commit_dropped", faults.commit_dropped},
        {"failed_injected", faults.failed_injected},
        {"day", format_day(day)},
        {"creates_today", limits_.daily().used(day)},
        {"daily_cap", limits_.daily().cap()},
        // What happened to the accounts' users and groups, summed over the accounts.
        {"lookups", u.lookups},
        {"expired_answers", u.expired_answers},
        {"group_lists", g.group_lists},
        {"user_lists", u.user_lists},
        {"patches", u.patches},
        {"groups_set", g.groups_set},
        {"group_id_ignored", g.group_id_ignored},
        {"profiles_applied", u.profiles_applied},
        {"profiles_to_pending", u.profiles_to_pending},
        {"profile_fields_to_pending", u.profile_fields_to_pending},
        {"member_calls", g.member_calls},
        {"members_added", g.members_added},
        {"member_moves", g.member_moves},
        {"primary_sets", g.primary_sets},
        {"deletes", u.deletes},
        {"deletes_of_pending", u.deletes_of_pending},
        {"deletes_of_active", u.deletes_of_active},
        {"delete_misses", u.delete_misses},
        {"delete_faults", u.delete_faults},
        {"deletions_by_email", u.deletions_by_email},
        {"deletions_by_id", u.deletions_by_id},
        {"activations", u.activations},
    }
        .dump();
}

} // namespace zoomsim
