#include "zprov/run/answer_effects.hpp"

#include "zprov/clock.hpp"

#include <algorithm>
#include <string>

namespace zprov {

namespace {
// Per-second 429s in a row at the pacer's slowest rate, with no request accepted, that stop
// the run: another app is using the account's whole limit, and waiting longer would hold
// the journal's lock (on the plan's own rate that is a minute or more of refusals).
constexpr int throttled_run_limit = 30;
} // namespace

void note_answer(send_context& ctx, verdict what, const zoom_answer& answer,
                 std::chrono::steady_clock::time_point sent_at) {
    const auto now = std::chrono::steady_clock::now();
    if (what != verdict::rate_limited) {
        if (answer.status != 429)
            ctx.pacer.accepted(now);
        ctx.consecutive_rate_limited = 0;
        ctx.last_accepted = now;
        return;
    }
    ++ctx.count.rate_limited;
    const bool starved = ctx.pacer.starved();
    const bool counts = starved && sent_at > std::max(ctx.last_accepted, ctx.starved_since);
    ctx.pacer.slow_down(now, sent_at);
    if (!starved && ctx.pacer.starved())
        ctx.starved_since = now;
    if (counts && ++ctx.consecutive_rate_limited >= throttled_run_limit)
        ctx.stop.request(exit_code::paused,
                         "Zoom answered " + std::to_string(throttled_run_limit) +
                             " requests in a row with a per-second 429 and accepted none: other "
                             "apps are using the account's rate limit; rerun later");
}

void note_quota(send_context& ctx, const zoom_answer& created) {
    if (ctx.limits.daily_cap <= 0) // the action is not capped per day
        return;
    if (created.quota_remaining)
        ctx.budget.zoom_remaining(count_today(ctx), *created.quota_remaining);
    if (!created.quota_limit || ctx.plan_hint_given)
        return;
    if (auto hint = plan_hint(ctx.limits.plan_id, *created.quota_limit)) {
        ctx.plan_hint_given = true;
        ctx.progress.log(*hint);
    }
}

} // namespace zprov
