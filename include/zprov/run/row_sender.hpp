// Sending one row: wait out a pause and the daily budget, take a turn from the pacer, send
// once, and act on Zoom's answer by the retry policy until the row has an outcome or the run
// stops. What the workers share comes in row_context (run/contexts). Per-row trouble never
// throws: it becomes an outcome or a stop reason; what the journal and the token holder throw
// (fatal_error) ends the worker and, through the pipeline, the run.
#pragma once

#include "zprov/run/contexts.hpp"
#include "zprov/run/run_state.hpp"

#include <boost/asio/awaitable.hpp>

namespace zprov {

class connection;

// The day's create count as the journal has it.
daily_budget::count count_today(const run_journal& journal, std::int64_t in_flight = 0);
// What the day's create budget allows now (see daily_budget); take_budget takes it.
budget_state look_budget(const row_context& ctx);
budget_state take_budget(row_context& ctx);
// Records a pause until `until` (and says so with --wait).
void record_pause(row_context& ctx, sys_seconds until, const std::string& reason);

// Sends `item` until it has an outcome or the run stops (the row then stays pending). Its
// waits are in run/row_waits.
boost::asio::awaitable<void> send_row(row_context& ctx, connection& session, work_item& item);

} // namespace zprov
