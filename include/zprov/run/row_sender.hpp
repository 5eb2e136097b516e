// Sending one row: wait out a pause and the daily budget, take a turn from the pacer, send
// once, and act on Zoom's answer by the retry policy until the row has an outcome or the run
// stops. What the workers share comes in row_context (run/contexts); what a create adds
// around each try is run/create_steps. Per-row trouble never throws: it becomes an outcome
// or a stop reason; what the journal and the token holder throw (fatal_error) ends the
// worker and, through the pipeline, the run.
#pragma once

#include "zprov/run/contexts.hpp"
#include "zprov/run/run_state.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace zprov {

class connection;

// The day's create count as the journal has it.
daily_budget::count count_today(const run_journal& journal, std::int64_t in_flight = 0);
// ... with this run's creates in flight, and the creates reserved for re-invites counted as
// requests on their way, but for `own` of them (those the caller holds).
daily_budget::count count_today(const row_context& ctx, int own = 0);
// What the day's create budget allows now (see daily_budget); take_budget takes it. `own`:
// creates the caller reserved (not counted against it).
budget_state look_budget(const row_context& ctx, int own = 0);
budget_state take_budget(row_context& ctx, int own = 0);
// Reserves one create of the day's budget for `item` (a re-invite, before its DELETE): true
// when the budget is open now. release_create gives an unspent reservation back.
bool reserve_create(row_context& ctx, work_item& item);
void release_create(row_context& ctx, work_item& item);
// Records a pause until `until` (and says so with --wait).
void record_pause(row_context& ctx, sys_seconds until, const std::string& reason);

// "line 12: ann@example.com: `what`": a row as the operator is told of it (its address made
// safe for a terminal).
std::string row_line(const work_item& item, const std::string& what);

// Sends `item` until it has an outcome or the run stops (the row then stays pending). Its
// waits are in run/row_waits.
boost::asio::awaitable<void> send_row(row_context& ctx, connection& session, work_item& item);

} // namespace zprov
