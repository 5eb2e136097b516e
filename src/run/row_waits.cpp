// The waits of a worker: for the pacer's turn, through a pause (or to the end of the run),
// and the daily budget that decides whether a pause begins.
#include "zprov/run/row_sender.hpp"

#include "zprov/net.hpp"
#include "zprov/text.hpp"

namespace zprov {

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
constexpr auto stop_check_step = 200ms;
constexpr auto wait_step = 30s;         // --wait re-reads the wall clock at least this often
constexpr auto budget_wait_step = 50ms; // while another worker asks Zoom about the budget
} // namespace

net::awaitable<void> sleep_unless_stopped(send_context& ctx, steady::duration d) {
    auto until = steady::now() + d;
    net::steady_timer timer(ctx.executor);
    while (!ctx.stop.stopping() && steady::now() < until) {
        timer.expires_after(std::min<steady::duration>(until - steady::now(), stop_check_step));
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
}

net::awaitable<pacer_ticket> take_turn(send_context& ctx, send_pacer& pacer) {
    net::steady_timer timer(ctx.executor);
    for (;;) {
        auto grant = pacer.try_take(steady::now());
        if (grant.slot != 0)
            co_return pacer_ticket(pacer, grant.slot);
        timer.expires_after(std::min<steady::duration>(grant.wait, stop_check_step));
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
        if (ctx.stop.abandons_waiting())
            co_return pacer_ticket{};
    }
}

daily_budget::count count_today(const send_context& ctx) {
    const auto now = now_utc();
    const auto today = utc_day(now);
    const auto& journal = ctx.journal.summary();
    return {journal.creates_on(today), journal.created_on(today), journal.counts.in_doubt,
            std::chrono::floor<std::chrono::days>(now).time_since_epoch().count()};
}

budget_state look_budget(const send_context& ctx) {
    return ctx.budget.look(count_today(ctx));
}

budget_state take_budget(send_context& ctx) {
    return ctx.budget.take(count_today(ctx));
}

void record_pause(send_context& ctx, sys_seconds until, const std::string& reason) {
    if (ctx.journal.pause(until, reason) && ctx.options.config.wait.value_or(false))
        ctx.progress.log("Paused: " + terminal_safe(reason) + ". Waiting until " + iso8601(until) +
                         " (" + local_time_text(until) + ")");
}

net::awaitable<bool> hold_for_pause(send_context& ctx) {
    const bool wait = ctx.options.config.wait.value_or(false);
    for (;;) {
        const auto& pause = ctx.journal.summary().pause;
        if (pause && now_utc() < pause->until) {
            if (!wait) {
                ctx.stop.request(exit_code::paused, pause->reason);
                co_return false;
            }
            ctx.progress.set_waiting(pause->until);
            // Bounded steps, re-reading the wall clock: robust to clock jumps and suspend.
            auto left = pause->until - now_utc();
            co_await sleep_unless_stopped(ctx, std::min<steady::duration>(left + 1s, wait_step));
            if (ctx.stop.stopping())
                co_return false;
            continue;
        }
        if (pause) {
            ctx.journal.resume();
            ctx.progress.set_waiting(std::nullopt);
            ctx.progress.log("Resuming after the pause.");
        }
        const auto budget = look_budget(ctx);
        if (budget == budget_state::spent) {
            record_pause(ctx, next_utc_midnight(now_utc()),
                         ctx.budget.spent_reason(count_today(ctx), utc_day(now_utc())));
            continue;
        }
        if (budget == budget_state::wait) { // another worker is asking Zoom
            co_await sleep_unless_stopped(ctx, budget_wait_step);
            if (ctx.stop.stopping())
                co_return false;
            continue;
        }
        co_return !ctx.stop.stopping();
    }
}

} // namespace zprov
