#include "zprov/run/steps/profiles.hpp"

#include "zprov/run/row_waits.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/transport.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/step_plan.hpp"
#include "zprov/run/steps/user_lookup.hpp"
#include "zprov/sheet/validation.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace zprov {

std::string profile_patch_body(const user_record& user, bool group, bool profile) {
    nlohmann::json body = nlohmann::json::object();
    if (group)
        body[std::string(group_id_member)] = user.group_id;
    if (profile)
        for (std::size_t i = 0; i < profile_field_count; ++i)
            if (!user.profile[i].empty())
                body[std::string(name_of(profile_field_at(i)))] = user.profile[i];
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {
// A step answered 404/1001 for a user this run created is sent again this many times, each
// after a wait of `fresh_user_waits` backoff bases (2 s by default).
constexpr int fresh_user_retries = 3;
constexpr int fresh_user_waits = 4;

bool sends(step_status s) {
    return s == step_status::owed || s == step_status::in_doubt;
}

// What a step's failure means for the run: a refusal for the account stops it.
void note_failure(row_context& ctx, const work_item& item, const call_end& r, bool gone) {
    if (r.answered() && r.last.what == verdict::account_refused)
        ctx.requests.stop.request(
            exit_code::no_permission,
            "Zoom refused a group or profile step for the account (" + r.last.problem +
                "): give the app the scopes Zoom names (updating users, setting group "
                "members). The steps left are sent by the next run");
    if (ctx.requests.log.verbose || r.user_gone())
        ctx.requests.log.line(
            "line " + std::to_string(item.line) + ": " + terminal_safe(item.user.email) +
            ": group/profile not set: " + terminal_safe(r.last.problem) +
            (gone ? "; the user no longer exists in Zoom" : "; the next run sends it again"));
}

// A row created without a group or a profile, to which the sheet gives one now: its Zoom id
// is looked up (GET /users/{email}) and journaled (seen), so that its steps can follow. False
// when it cannot be had this run (a user deleted in Zoom is journaled gone).
net::awaitable<bool> learn_user(row_context& ctx, connection& session, const work_item& item) {
    const auto found = co_await look_up(ctx.requests, session, item.user.email);
    if (found.where == user_lookup::found::here && !found.id.empty()) {
        const auto status = found.status == "pending" ? zoom_state::pending : zoom_state::active;
        ctx.journal.seen(item.key, found.id, status);
    } else if (found.expired) { // 1120: the invitation lapsed; nothing to set until created
        ctx.journal.seen(item.key, "", zoom_state::expired);
    } else if (found.where == user_lookup::found::elsewhere) {
        ctx.journal.seen(item.key, "", zoom_state::gone);
        ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                              terminal_safe(item.user.email) +
                              ": group/profile not set: the user no longer exists in Zoom");
    } else if (ctx.requests.log.verbose) {
        ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                              terminal_safe(item.user.email) + ": group/profile not set: " +
                              terminal_safe(found.problem.empty() ? found.status : found.problem) +
                              "; the next run tries again");
    }
    co_await ctx.syncer.durable(ctx.journal.written());
    co_return ctx.journal.summary().steps.contains(item.key);
}
} // namespace

namespace {
// What GET /users/{id} says of an active user's groups.
struct user_groups {
    bool read = false;
    bool pending = false;
    std::vector<std::string> group_ids;
};

user_groups read_user_groups(const call_end& r, const std::string& email) {
    user_groups out;
    if (!r.done())
        return out;
    auto doc = nlohmann::json::parse(r.last.result.reply.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return out;
    const auto addressed = doc.find("email");
    if (addressed == doc.end() || !addressed->is_string() ||
        email_key(addressed->get<std::string>()) != email)
        return out; // not about this row's user
    if (auto status = doc.find("status"); status != doc.end() && status->is_string())
        out.pending = status->get<std::string>() == "pending";
    if (auto ids = doc.find("group_ids"); ids != doc.end()) {
        if (!ids->is_array())
            return out;
        for (const auto& id : *ids)
            if (id.is_string())
                out.group_ids.push_back(id.get<std::string>());
    }
    out.read = true;
    return out;
}

// Whether the answer to POST /groups/{groupId}/members names `user_id` among those added
// (`ids`, comma-separated): a member Zoom skipped is not in the group.
bool added(const call_end& r, const std::string& user_id) {
    auto doc = nlohmann::json::parse(r.last.result.reply.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return false;
    const auto ids = doc.find("ids");
    if (ids == doc.end() || !ids->is_string())
        return false;
    std::string_view rest = ids->get_ref<const std::string&>();
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        if (rest.substr(0, comma) == user_id)
            return true;
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return false;
}

// One step's request(s) as journaled: the intent, then done or failed.
struct step_call {
    call_end end;
    std::string problem; // set when the step failed before or without a request
    bool gone = false;   // 404/1001, and a later GET /users/{id} agrees
};

// A 404/1001 (`r`) for the user `user_id`: "gone" needs a later lookup that agrees.
net::awaitable<bool> confirmed_gone(row_context& ctx, connection& session, const call_end& r,
                                    const std::string& user_id) {
    if (!r.user_gone() || ctx.requests.stop.stopping())
        co_return false;
    const auto asked = co_await look_up(ctx.requests, session, user_id);
    co_return asked.where == user_lookup::found::elsewhere;
}

// One call about a user (its GET or PATCH, both idempotent). A 404/1001 for a user this run
// created seconds ago is a store not yet consistent: the call is sent again, a few times, a
// few seconds apart, before the answer is taken.
net::awaitable<call_end> call_fresh_user(row_context& ctx, connection& session,
                                         const work_item& item, const zoom_request& request,
                                         counted_steps& counted) {
    row_attempts attempts;
    call_end end = co_await call_zoom(ctx.requests, session, request, attempts, counted); // g++ 12
    for (int again = 0; end.user_gone() && !item.steps_only && again < fresh_user_retries;
         ++again) {
        co_await sleep_unless_stopped(ctx.requests.stop,
                                      ctx.requests.retry.backoff_base * fresh_user_waits);
        if (ctx.requests.stop.stopping())
            break;
        row_attempts more;
        end = co_await call_zoom(ctx.requests, session, request, more, counted);
    }
    co_return end;
}

// A user's group by the group-member calls: what its groups are now (GET /users/{id}: the
// step's answers may have been lost, or an administrator moved the user), then nothing when
// it is in the group already, a move (PATCH /groups/{from}/members/{id}, action move: the
// new group takes the old one's place, primary included) from the group this journal put it
// in, or else, for an active user, an addition (POST /groups/{groupId}/members; the first
// group a user joins is its primary). `pending` is set when Zoom says the user is pending
// and no move applies: its group then goes by PATCH group_id.
net::awaitable<step_call> set_active_group(row_context& ctx, connection& session,
                                           const work_item& item, const std::string& user_id,
                                           const std::string& from, bool& pending) {
    step_call out;
    const zoom_request get{.method = "GET", .path = user_target(ctx.requests, user_id)};
    counted_steps counted(ctx.tally.count.requests, false); // attempts, not calls
    // Still 404/1001 after the retries for a fresh user (a later lookup agreeing): gone.
    out.end = co_await call_fresh_user(ctx, session, item, get, counted); // g++ 12
    out.gone = out.end.user_gone();
    const auto groups = read_user_groups(out.end, item.key);
    if (!groups.read) {
        if (out.end.done())
            out.problem = "GET /users/{id} answered about another user, or without its groups";
        co_return out;
    }
    const auto& to = item.user.group_id;
    const auto in = [&](const std::string& g) {
        return std::find(groups.group_ids.begin(), groups.group_ids.end(), g) !=
               groups.group_ids.end();
    };
    if (in(to))
        co_return out; // done already (an earlier answer was lost, or set by hand)
    const bool move = !from.empty() && from != to && in(from);
    if (groups.pending && !move) { // a pending user joins its group by PATCH group_id
        pending = true;
        co_return out;
    }
    zoom_request call;
    if (move) {
        call = zoom_request{
            .method = "PATCH",
            .path = zoom_api::group_member_path(ctx.requests.account, from, user_id),
            .content_type = "application/json",
            .body = nlohmann::json{{"action", "move"}, {"target_group_id", to}}.dump()};
    } else {
        call = zoom_request{.method = "POST",
                            .path = zoom_api::group_members_path(ctx.requests.account, to),
                            .content_type = "application/json",
                            .body = nlohmann::json{{"members", {{{"id", user_id}}}}}.dump()};
    }
    row_attempts more;
    out.end = co_await call_zoom(ctx.requests, session, call, more, counted); // named: g++ 12
    out.gone = co_await confirmed_gone(ctx, session, out.end, user_id);
    if (call.method == "POST" && out.end.done() && !added(out.end, user_id))
        out.problem = "Zoom's answer to POST /groups/{groupId}/members does not name the user "
                      "among those added; the next run reads its groups again";
    co_return out;
}

// Journals the step's end; a user gone is journaled so and not sent to again.
void record_step(row_context& ctx, const work_item& item, const std::string& user_id, bool group,
                 bool profile, const step_call& call) {
    const auto& r = call.end;
    const auto* answer = r.last.answer ? &*r.last.answer : nullptr;
    if (call.problem.empty() && r.done()) {
        ctx.journal.step_outcome(item, step_phase::done, group, profile, answer->status,
                                 std::nullopt, "");
        return;
    }
    const auto& problem = call.problem.empty() ? r.last.problem : call.problem;
    const bool expired = answer && answer->code == zoom_code::invitation_expired;
    const auto why = call.gone ? "the user no longer exists in Zoom (" + problem +
                                     "): deleted since it was created; its group and "
                                     "profile are not sent again"
                     : r.user_gone()
                         ? problem + ", but a lookup of the user does not agree: the next run "
                                     "sends it again"
                     : expired         ? "the user's invitation expired (" + problem + ")"
                     : problem.empty() ? std::string("no answer")
                                       : problem;
    ctx.journal.step_outcome(item, step_phase::failed, group, profile, answer ? answer->status : 0,
                             answer ? answer->code : std::nullopt, why);
    if (call.gone) // said plainly, and not sent again by later runs
        ctx.journal.seen(item.key, user_id, zoom_state::gone);
    else if (expired)
        ctx.journal.seen(item.key, user_id, zoom_state::expired);
    note_failure(ctx, item, r, call.gone);
}

// PATCH /users/{id} with the group (a pending user's) and/or the profile (an active user's).
net::awaitable<step_call> patch_user(row_context& ctx, connection& session, const work_item& item,
                                     const std::string& user_id, bool group, bool profile) {
    const zoom_request patch{.method = "PATCH",
                             .path = user_target(ctx.requests, user_id),
                             .content_type = "application/json",
                             .body = profile_patch_body(item.user, group, profile)};
    step_call out;
    counted_steps counted(ctx.tally.count.requests, false);                 // attempts, not calls
    out.end = co_await call_fresh_user(ctx, session, item, patch, counted); // g++ 12
    out.gone = co_await confirmed_gone(ctx, session, out.end, user_id);
    co_return out;
}
} // namespace

net::awaitable<void> apply_steps(row_context& ctx, connection& session, const work_item& item) {
    const bool known = ctx.journal.summary().steps.contains(item.key);
    if (!item.group_problem.empty()) { // a step problem: the row stays created
        ctx.requests.log.line(
            "line " + std::to_string(item.line) + ": " + terminal_safe(item.user.email) +
            ": group not set: " + terminal_safe(item.group_problem) + " (the row stays created)");
        if (known) {
            ctx.journal.step_outcome(item, step_phase::failed, true, false, 0, std::nullopt,
                                     item.group_problem);
            co_await ctx.syncer.durable(ctx.journal.written());
        }
    }
    if (!known && item.steps_only) { // the row_source yields it only when the sheet gives one
        const bool learnt = co_await learn_user(ctx, session, item);
        if (!learnt)
            co_return;
    }
    const auto& all = ctx.journal.summary().steps;
    const auto found = all.find(item.key);
    if (found == all.end() || found->second.zoom == zoom_state::gone ||
        found->second.zoom == zoom_state::expired)
        co_return;
    const std::string user_id = found->second.user_id;
    const std::string from = found->second.group_id;
    const bool pending = found->second.zoom == zoom_state::pending;
    const auto changes = changed_steps(found->second, item.user, ctx.options.update_existing);
    bool group = item.group_problem.empty() && (sends(found->second.group) || changes.group);
    // Only an active user's profile is sent: a pending user's stays deferred (Zoom would
    // answer with success and drop it).
    bool profile = (sends(found->second.profile) || changes.profile) && !pending;
    if (!group && !profile)
        co_return;
    if (group && item.user.group_id.empty()) { // blocks the group step only
        ctx.journal.step_outcome(item, step_phase::failed, true, false, 0, std::nullopt,
                                 "the sheet names no group of the account for this row now");
        co_await ctx.syncer.durable(ctx.journal.written());
        ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                              terminal_safe(item.user.email) +
                              ": group not set: the sheet names no group of the account for "
                              "this row now (the row stays created)");
        if (!profile)
            co_return;
        group = false;
    }
    // A pending user's first group goes in PATCH /users/{id} (group_id is documented for
    // pending users: it adds the user to the group); an active user's, and any user's change
    // from the group this journal set, by the group-member calls (a move), before the profile.
    bool group_in_patch = group && pending && from.empty();
    if (group && !group_in_patch) {
        ctx.journal.step_intent(item, user_id, true, false);
        co_await ctx.syncer.durable(ctx.journal.written());
        bool turned_pending = false;
        const auto set =
            co_await set_active_group(ctx, session, item, user_id, from, turned_pending);
        if (turned_pending) {
            // Zoom says pending: its group by the way documented for pending users, its
            // profile kept until it accepts.
            ctx.journal.seen(item.key, user_id, zoom_state::pending);
            group_in_patch = true;
            profile = false;
        } else {
            record_step(ctx, item, user_id, true, false, set);
            co_await ctx.syncer.durable(ctx.journal.written());
            if (ctx.requests.stop.stopping() || !(set.problem.empty() && set.end.done()))
                co_return;
        }
    }
    if (!group_in_patch && !profile)
        co_return;
    ctx.journal.step_intent(item, user_id, group_in_patch, profile);
    co_await ctx.syncer.durable(ctx.journal.written());
    const auto patched = co_await patch_user(ctx, session, item, user_id, group_in_patch, profile);
    record_step(ctx, item, user_id, group_in_patch, profile, patched);
    co_await ctx.syncer.durable(ctx.journal.written());
}

} // namespace zprov
