#include "zprov/run/answer_effects.hpp"

#include "zprov/base/clock.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/send_pacer.hpp"

#include <algorithm>
#include <string>

namespace zprov {

namespace {
// Per-second 429s in a row at the pacer's slowest rate, with no request accepted, that stop
// the run: another app is using the account's whole limit, and waiting longer would hold
// the journal's lock (on the plan's own rate that is a minute or more of refusals).
constexpr int throttled_run_limit = 30;
} // namespace

void note_answer(row_context& ctx, send_pacer& pacer, verdict what, const zoom_answer& answer,
                 std::chrono::steady_clock::time_point sent_at) {
    auto& tally = ctx.tally;
    const auto now = std::chrono::steady_clock::now();
    if (what != verdict::rate_limited) {
        if (answer.status != 429)
            pacer.accepted(now);
        tally.consecutive_rate_limited = 0;
        tally.last_accepted = now;
        return;
    }
    ++tally.count.rate_limited;
    const bool starved = pacer.starved();
    const bool counts = starved && sent_at > std::max(tally.last_accepted, tally.starved_since);
    pacer.slow_down(now, sent_at);
    if (!starved && pacer.starved())
        tally.starved_since = now;
    if (counts && ++tally.consecutive_rate_limited >= throttled_run_limit)
        ctx.requests.stop.request(
            exit_code::paused,
            "Zoom answered " + std::to_string(throttled_run_limit) +
                " requests in a row with a per-second 429 and accepted none: other "
                "apps are using the account's rate limit; rerun later");
}

void note_quota(row_context& ctx, const zoom_answer& created) {
    auto& day = ctx.day;
    if (day.limits.daily_cap <= 0) // the action is not capped per day
        return;
    if (created.quota_remaining)
        day.budget.zoom_remaining(count_today(ctx), *created.quota_remaining);
    if (!created.quota_limit || day.plan_hint_given)
        return;
    if (auto hint = plan_hint(day.limits.plan_id, *created.quota_limit)) {
        day.plan_hint_given = true;
        ctx.requests.log.line(*hint);
    }
}

} // namespace zprov
