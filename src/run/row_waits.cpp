// The waits of a run, raced against the stop event; and the daily budget that decides
// whether a pause begins.
#include "zprov/run/row_waits.hpp"

#include "zprov/base/event_log.hpp"
#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/token.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/run_journal.hpp"

#include <boost/asio/experimental/parallel_group.hpp>

namespace zprov {

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
constexpr auto wait_step = 30s; // --wait re-reads the wall clock at least this often
// While another worker asks Zoom about the budget: until its answer, re-checked this often.
constexpr auto budget_wait_step = 30s;

net::awaitable<void> sleep_until(steady::time_point until) {
    net::steady_timer timer(co_await net::this_coro::executor, until);
    co_await timer.async_wait(net::use_awaitable);
}

net::awaitable<void> fetch_into(token_holder& tokens, std::optional<std::string>& token) {
    token = co_await tokens.token();
}

template <class... Task>
std::vector<net::awaitable<void>> tasks(Task&&... each) {
    std::vector<net::awaitable<void>> all;
    (all.push_back(std::forward<Task>(each)), ...);
    return all;
}
} // namespace

net::awaitable<std::size_t> first_to_end(std::vector<net::awaitable<void>> racing) {
    const auto executor = co_await net::this_coro::executor;
    using spawned = decltype(net::co_spawn(executor, std::move(racing.front()), net::deferred));
    std::vector<spawned> ops;
    ops.reserve(racing.size());
    for (auto& task : racing)
        ops.push_back(net::co_spawn(executor, std::move(task), net::deferred));
    auto group = net::experimental::make_parallel_group(std::move(ops));
    // Named, not bound straight from co_await: g++ 12 mis-destroys such temporaries.
    std::tuple<std::vector<std::size_t>, std::vector<std::exception_ptr>> ended =
        co_await group.async_wait(net::experimental::wait_for_one(), net::use_awaitable);
    const auto first = std::get<0>(ended).front();
    if (const auto& failure = std::get<1>(ended)[first])
        std::rethrow_exception(failure);
    co_return first;
}

net::awaitable<void> wait_unless(stop_state& stop, stop_level level, steady::time_point until) {
    if (stop.reached(level))
        co_return;
    co_await first_to_end(tasks(sleep_until(until), stop.until(level)));
}

net::awaitable<void> wait_unless(stop_state& stop, stop_level level, event& changes,
                                 steady::time_point until) {
    if (stop.reached(level))
        co_return;
    co_await first_to_end(tasks(sleep_until(until), stop.until(level), changes.wait()));
}

net::awaitable<void> sleep_unless_stopped(stop_state& stop, steady::duration d) {
    co_await wait_unless(stop, stop_level::stopping, steady::now() + d);
}

net::awaitable<pacer_ticket> take_turn(stop_state& stop, stop_level level, send_pacer& pacer) {
    for (;;) {
        auto grant = pacer.try_take(steady::now());
        if (grant.slot != 0)
            co_return pacer_ticket(pacer, grant.slot);
        if (stop.reached(level))
            co_return pacer_ticket{};
        co_await wait_unless(stop, level, steady::now() + grant.wait);
    }
}

net::awaitable<std::optional<std::string>> token_unless(stop_state& stop, stop_level level,
                                                        token_holder& tokens) {
    if (stop.reached(level))
        co_return std::nullopt;
    std::optional<std::string> token;
    try { // the stop cancels the fetch
        co_await first_to_end(tasks(fetch_into(tokens, token), stop.until(level)));
    } catch (...) {
        if (!stop.reached(level)) // failed, unless the run gave up anyway
            throw;
    }
    co_return token;
}

net::awaitable<std::optional<std::string>> token_unless_abandoned(request_context& ctx) {
    co_return co_await token_unless(ctx.stop, stop_level::abandoning, ctx.tokens);
}

net::awaitable<std::vector<std::exception_ptr>>
run_workers(net::any_io_executor executor, int count,
            std::function<net::awaitable<void>(int)> worker) {
    if (count <= 0)
        co_return std::vector<std::exception_ptr>{};
    using spawned = decltype(net::co_spawn(executor, worker(0), net::deferred));
    std::vector<spawned> workers;
    workers.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        workers.push_back(net::co_spawn(executor, worker(i), net::deferred));
    // wait_for_all: one worker's end stops none of the others (a failure stops the run
    // through the stop state, and the others finish their rows).
    auto group = net::experimental::make_parallel_group(std::move(workers));
    std::tuple<std::vector<std::size_t>, std::vector<std::exception_ptr>> ended =
        co_await group.async_wait(net::experimental::wait_for_all(), net::use_awaitable);
    co_return std::move(std::get<1>(ended));
}

daily_budget::count count_today(const run_journal& records, std::int64_t in_flight) {
    const auto now = now_utc();
    const auto today = utc_day(now);
    const auto& journal = records.summary();
    return {journal.creates_on(today), journal.created_on(today), journal.counts.in_doubt,
            std::chrono::floor<std::chrono::days>(now).time_since_epoch().count(), in_flight};
}

daily_budget::count count_today(const row_context& ctx, int own) {
    auto today = count_today(ctx.journal, ctx.day.in_flight);
    const auto others = ctx.day.reserved - own;
    today.intents += others;
    today.unanswered += others;
    return today;
}

budget_state look_budget(const row_context& ctx, int own) {
    return ctx.day.budget.look(count_today(ctx, own));
}

budget_state take_budget(row_context& ctx, int own) {
    return ctx.day.budget.take(count_today(ctx, own));
}

bool reserve_create(row_context& ctx, work_item& item) {
    if (item.create_reserved)
        return true;
    // probe: nothing is known of today yet, and the reserved create goes as the day's first,
    // alone (row_sender takes it as the probe).
    if (const auto state = look_budget(ctx);
        state != budget_state::open && state != budget_state::probe)
        return false;
    ++ctx.day.reserved;
    item.create_reserved = true;
    return true;
}

void release_create(row_context& ctx, work_item& item) {
    if (!item.create_reserved)
        return;
    --ctx.day.reserved;
    item.create_reserved = false;
}

void record_pause(row_context& ctx, sys_seconds until, const std::string& reason) {
    const bool recorded = ctx.journal.pause(until, reason);
    if (recorded)
        log_event("pause", {{"until", iso8601(until)}, {"reason", reason}});
    if (recorded && ctx.options.wait)
        ctx.requests.log.line("Paused: " + terminal_safe(reason) + ". Waiting until " +
                              iso8601(until) + " (" + local_time_text(until) + ")");
}

net::awaitable<bool> hold_for_pause(row_context& ctx) {
    auto& stop = ctx.requests.stop;
    const auto& log = ctx.requests.log;
    const bool wait = ctx.options.wait;
    for (;;) {
        const auto& pause = ctx.journal.summary().pause;
        if (pause && now_utc() < pause->until) {
            if (!wait) {
                stop.request(exit_code::paused, pause->reason);
                co_return false;
            }
            if (log.waiting)
                log.waiting(pause->until);
            // Bounded steps, re-reading the wall clock: robust to clock jumps and suspend.
            auto left = pause->until - now_utc();
            co_await sleep_unless_stopped(stop, std::min<steady::duration>(left + 1s, wait_step));
            if (stop.stopping())
                co_return false;
            continue;
        }
        if (pause) {
            ctx.journal.resume();
            if (log.waiting)
                log.waiting(std::nullopt);
            log.line("Resuming after the pause.");
        }
        const auto budget = look_budget(ctx);
        if (budget == budget_state::spent) {
            record_pause(ctx, next_utc_midnight(now_utc()),
                         ctx.day.budget.spent_reason(count_today(ctx), utc_day(now_utc())));
            continue;
        }
        if (budget == budget_state::wait) { // another worker is asking Zoom: for its answer
            co_await wait_unless(stop, stop_level::stopping, ctx.day.answered,
                                 steady::now() + budget_wait_step);
            if (stop.stopping())
                co_return false;
            continue;
        }
        co_return !stop.stopping();
    }
}

} // namespace zprov
