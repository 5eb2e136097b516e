// Sending one row: wait out a pause and the daily budget, take a turn from the pacer, send
// once, and act on Zoom's answer by the retry policy until the row has an outcome or the run
// stops. Everything the workers share is in send_context. Per-row trouble never throws: it
// becomes an outcome or a stop reason; what the journal and the token holder throw
// (fatal_error) ends the worker and, through the pipeline, the run.
#pragma once

#include "zprov/endpoint.hpp"
#include "zprov/import.hpp"
#include "zprov/run/account_problems.hpp"
#include "zprov/run/daily_budget.hpp"
#include "zprov/run/progress.hpp"
#include "zprov/run/retry_policy.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/run_state.hpp"
#include "zprov/send_pacer.hpp"
#include "zprov/settings.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <random>

namespace zprov {

class http_session;
class journal_syncer;
class token_holder;

struct send_context {
    boost::asio::any_io_executor executor;
    const import_options& options;
    const send_limits& limits;
    const endpoint& api;
    body_format body;
    retry_limits retry;
    run_journal& journal; // buffered: a record is acted on once `syncer` has flushed it
    journal_syncer& syncer;
    send_pacer& pacer;        // the pacer of POST /users' rate-limit category
    send_pacer& lookup_pacer; // the pacer of GET /users/{id}'s category
    token_holder& tokens;
    run_counters& count;
    stop_state& stop;
    progress_display& progress;
    std::mt19937_64 rng{std::random_device{}()};
    seat_holds seats{};         // user types Zoom has no seats left for
    refusal_breaker breaker{5}; // one error code on several rows in a row stops the run
    int consecutive_failed = 0; // rows failed in a row: three mean an outage
    daily_budget budget{};      // set from limits.daily_cap by the pipeline
    // Notified when the budget's probe is answered (the workers waiting for it go on).
    std::unique_ptr<wake_list> budget_answered = std::make_unique<wake_list>();
    bool plan_hint_given = false; // Zoom's X-RateLimit-Limit disagreed with --plan: said once
    // Per-second 429s for requests sent while the pacer was starved (see send_pacer), since
    // Zoom last accepted one: requests sent faster say nothing about the slowest rate.
    int consecutive_rate_limited = 0;
    std::chrono::steady_clock::time_point last_accepted{}; // when Zoom last took a request
    std::chrono::steady_clock::time_point starved_since{}; // when the pacer became starved
};

// The day's create count as the journal has it.
daily_budget::count count_today(const send_context& ctx);
// What the day's create budget allows now (see daily_budget); take_budget takes it.
budget_state look_budget(const send_context& ctx);
budget_state take_budget(send_context& ctx);
// Records a pause until `until` (and says so with --wait).
void record_pause(send_context& ctx, sys_seconds until, const std::string& reason);

// Sends `item` until it has an outcome or the run stops (the row then stays pending). Its
// waits are in run/row_waits.
boost::asio::awaitable<void> send_row(send_context& ctx, http_session& session, work_item& item);

} // namespace zprov
