#include "zprov/run/profile_steps.hpp"

#include "zprov/run/row_waits.hpp"

#include "zprov/http_session.hpp"
#include "zprov/net.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/user_lookup.hpp"
#include "zprov/text.hpp"
#include "zprov/zoom/api.hpp"

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
void note_failure(send_context& ctx, const work_item& item, const api_result& r) {
    if (r.what == api_result::kind::refused && r.said == verdict::account_refused)
        ctx.stop.request(exit_code::no_permission,
                         "Zoom refused to update a user for the account (" + r.problem +
                             "): add user:write:admin (classic scopes) or its granular form "
                             "to the app. The steps left are sent by the next run");
    if (ctx.options.verbose)
        ctx.progress.log("line " + std::to_string(item.line) + ": " +
                         terminal_safe(item.user.email) + ": group/profile not set: " +
                         terminal_safe(r.problem) + "; the next run sends it again");
}
} // namespace

net::awaitable<void> apply_steps(send_context& ctx, http_session& session, const work_item& item) {
    const auto& all = ctx.journal.summary().steps;
    const auto found = all.find(item.key);
    if (found == all.end() || !found->second.due())
        co_return;
    const std::string user_id = found->second.user_id;
    const bool group = sends(found->second.group);
    // Only an active user's profile is owed: a pending user's stays deferred.
    const bool profile = sends(found->second.profile);
    if (group && item.user.group_id.empty()) {
        ctx.journal.step_outcome(item, step_phase::failed, group, profile, 0, std::nullopt,
                                 "the sheet names no group of the account for this row now");
        co_await ctx.syncer.durable(ctx.journal.written());
        co_return;
    }
    ctx.journal.step_intent(item, user_id, group, profile);
    co_await ctx.syncer.durable(ctx.journal.written());

    // PATCH /users/{id} is in the category of GET /users/{id} (Light): the lookup's pacer.
    auto caller = caller_for(ctx, session, ctx.lookup_pacer);
    const auto target =
        ctx.api.target(zoom_api::user_path(account_path_segment(ctx), percent_encode(user_id)));
    http_call patch{"PATCH", target, "application/json",
                    profile_patch_body(item.user, group, profile), ""};
    auto r = co_await call_api(caller, std::move(patch));
    if (r.sent)
        ++ctx.count.requests;
    if (r.what == api_result::kind::done) {
        ctx.journal.step_outcome(item, step_phase::done, group, profile, r.reply.status,
                                 std::nullopt, "");
    } else {
        ctx.journal.step_outcome(item, step_phase::failed, group, profile, r.answer.status,
                                 r.answer.code,
                                 r.problem.empty() ? std::string("no answer") : r.problem);
        note_failure(ctx, item, r);
    }
    co_await ctx.syncer.durable(ctx.journal.written());
}

} // namespace zprov
