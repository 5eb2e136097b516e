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
bool sends(step_status s) {
    return s == step_status::owed || s == step_status::in_doubt;
}

// What a step's failure means for the run: a refusal for the account stops it.
void note_failure(row_context& ctx, const work_item& item, const call_end& r) {
    if (r.answered() && r.last.what == verdict::account_refused)
        ctx.requests.stop.request(
            exit_code::no_permission,
            "Zoom refused to update a user for the account (" + r.last.problem +
                "): add user:write:admin (classic scopes) or its granular form "
                "to the app. The steps left are sent by the next run");
    if (ctx.requests.log.verbose || r.user_gone())
        ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                              terminal_safe(item.user.email) +
                              ": group/profile not set: " + terminal_safe(r.last.problem) +
                              (r.user_gone() ? "; the user no longer exists in Zoom"
                                             : "; the next run sends it again"));
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
    const bool group = sends(found->second.group) || changes.group;
    // Only an active user's profile is sent: a pending user's stays deferred (Zoom would
    // answer with success and drop it).
    const bool profile = (sends(found->second.profile) || changes.profile) &&
                         found->second.zoom != zoom_state::pending;
    if (!group && !profile)
        co_return;
    if (group && item.user.group_id.empty()) {
        ctx.journal.step_outcome(item, step_phase::failed, group, profile, 0, std::nullopt,
                                 "the sheet names no group of the account for this row now");
        co_await ctx.syncer.durable(ctx.journal.written());
        co_return;
    }
    ctx.journal.step_intent(item, user_id, group, profile);
    co_await ctx.syncer.durable(ctx.journal.written());

    const zoom_request patch{.method = "PATCH",
                             .path = user_target(ctx.requests, user_id),
                             .content_type = "application/json",
                             .body = profile_patch_body(item.user, group, profile)};
    call_end r = co_await call_zoom(ctx.requests, session, patch); // named: g++ 12
    if (r.sent)
        ++ctx.tally.count.requests;
    const auto* answer = r.last.answer ? &*r.last.answer : nullptr;
    if (r.done()) {
        ctx.journal.step_outcome(item, step_phase::done, group, profile, answer->status,
                                 std::nullopt, "");
    } else {
        const auto& problem = r.last.problem;
        const auto why = r.user_gone() ? "the user no longer exists in Zoom (" + problem +
                                             "): deleted since it was created; its group and "
                                             "profile are not sent again"
                         : problem.empty() ? std::string("no answer")
                                           : problem;
        ctx.journal.step_outcome(item, step_phase::failed, group, profile,
                                 answer ? answer->status : 0, answer ? answer->code : std::nullopt,
                                 why);
        if (r.user_gone()) // said plainly, and not sent again by later runs
            ctx.journal.seen(item.key, user_id, zoom_state::gone);
        note_failure(ctx, item, r);
    }
    co_await ctx.syncer.durable(ctx.journal.written());
}

} // namespace zprov
