#include "zprov/run/profile_steps.hpp"

#include "zprov/run/row_waits.hpp"

#include "zprov/connection.hpp"
#include "zprov/net.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/step_plan.hpp"
#include "zprov/run/user_lookup.hpp"
#include "zprov/text.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

#include <nlohmann/json.hpp>

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
// A PATCH answered 404/1001 for a user this run created is sent again this many times, each
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
            "Zoom refused to update a user for the account (" + r.last.problem +
                "): add user:write:admin (classic scopes) or its granular form "
                "to the app. The steps left are sent by the next run");
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

net::awaitable<void> apply_steps(row_context& ctx, connection& session, const work_item& item) {
    const bool known = ctx.journal.summary().steps.contains(item.key);
    if (!known && item.steps_only) { // the row_source yields it only when the sheet gives one
        const bool learnt = co_await learn_user(ctx, session, item);
        if (!learnt)
            co_return;
    }
    const auto& all = ctx.journal.summary().steps;
    const auto found = all.find(item.key);
    if (found == all.end() || found->second.zoom == zoom_state::gone)
        co_return;
    const std::string user_id = found->second.user_id;
    const auto changes = changed_steps(found->second, item.user, ctx.options.update_existing);
    bool group = sends(found->second.group) || changes.group;
    // Only an active user's profile is sent: a pending user's stays deferred (Zoom would
    // answer with success and drop it).
    const bool profile = (sends(found->second.profile) || changes.profile) &&
                         found->second.zoom != zoom_state::pending;
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
    ctx.journal.step_intent(item, user_id, group, profile);
    co_await ctx.syncer.durable(ctx.journal.written());

    const zoom_request patch{.method = "PATCH",
                             .path = user_target(ctx.requests, user_id),
                             .content_type = "application/json",
                             .body = profile_patch_body(item.user, group, profile)};
    row_attempts attempts;
    counted_steps counted(ctx.tally.count.requests, false); // attempts, not calls
    call_end r = co_await call_zoom(ctx.requests, session, patch, attempts, counted); // g++ 12
    // A 404/1001 for a user this run created seconds ago is a store not yet consistent: the
    // PATCH (idempotent) is sent again, a few times, a few seconds apart.
    for (int again = 0; r.user_gone() && !item.steps_only && again < fresh_user_retries; ++again) {
        co_await sleep_unless_stopped(ctx.requests.stop,
                                      ctx.requests.retry.backoff_base * fresh_user_waits);
        if (ctx.requests.stop.stopping())
            break;
        row_attempts more;
        r = co_await call_zoom(ctx.requests, session, patch, more, counted);
    }
    // "Gone" needs a later lookup that agrees: GET /users/{id} answered 404/1001 too.
    bool gone = false;
    if (r.user_gone() && !ctx.requests.stop.stopping()) {
        const auto asked = co_await look_up(ctx.requests, session, user_id);
        gone = asked.where == user_lookup::found::elsewhere;
    }
    const auto* answer = r.last.answer ? &*r.last.answer : nullptr;
    if (r.done()) {
        ctx.journal.step_outcome(item, step_phase::done, group, profile, answer->status,
                                 std::nullopt, "");
    } else {
        const auto& problem = r.last.problem;
        const auto why = gone ? "the user no longer exists in Zoom (" + problem +
                                    "): deleted since it was created; its group and "
                                    "profile are not sent again"
                         : r.user_gone()
                             ? problem + ", but a lookup of the user does not agree: the next run "
                                         "sends it again"
                         : problem.empty() ? std::string("no answer")
                                           : problem;
        ctx.journal.step_outcome(item, step_phase::failed, group, profile,
                                 answer ? answer->status : 0, answer ? answer->code : std::nullopt,
                                 why);
        if (gone) // said plainly, and not sent again by later runs
            ctx.journal.seen(item.key, user_id, zoom_state::gone);
        note_failure(ctx, item, r, gone);
    }
    co_await ctx.syncer.durable(ctx.journal.written());
}

} // namespace zprov
