// The waits of a run, each raced (Asio's awaitable operators) against the run's stop
// reaching the wait's level (run/stop): a stop ends them at once, none polls. A worker waits
// for the pacer's turn, through a pause (or to the end of the run), through the daily budget,
// in a backoff, and for the token; the pipeline waits for all of its workers. A halt reaches
// the work in flight through the run's cancellation (run/import): every operation it awaits
// (an HTTP request too) ends at once, and the next co_await throws operation_aborted, so
// nothing more is written for a row whose request was in flight. Throws what the awaited
// work throws (fatal_error from the token holder).
#pragma once

#include "zprov/run/contexts.hpp"
#include "zprov/run/run_state.hpp"
#include "zprov/run/send_pacer.hpp"
#include "zprov/run/stop.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zprov {

class token_holder;

// Runs `racing` side by side until the first ends, which cancels the others (and waits for
// them to end); returns its index, or rethrows what it threw. The run's waits race the stop
// with it, and the run itself races its shutdown.
boost::asio::awaitable<std::size_t> first_to_end(std::vector<boost::asio::awaitable<void>> racing);

// Waits until `until`, or less: the wait ends as soon as the stop reaches `level` (stopping
// for a wait that nothing sent depends on, abandoning for a row holding an intent).
boost::asio::awaitable<void> wait_unless(stop_state& stop, stop_level level,
                                         std::chrono::steady_clock::time_point until);

// ... or as soon as `changes` is notified.
boost::asio::awaitable<void> wait_unless(stop_state& stop, stop_level level, event& changes,
                                         std::chrono::steady_clock::time_point until);

// Sleeps `d`, or less if the run stops.
boost::asio::awaitable<void> sleep_unless_stopped(stop_state& stop,
                                                  std::chrono::steady_clock::duration d);

// Waits for a turn of `pacer`; an empty ticket if the stop reaches `level` meanwhile.
boost::asio::awaitable<pacer_ticket> take_turn(stop_state& stop, stop_level level,
                                               send_pacer& pacer);

// A token from `tokens`; std::nullopt if the stop reaches `level` meanwhile (the fetch is
// then cancelled).
boost::asio::awaitable<std::optional<std::string>> token_unless(stop_state& stop, stop_level level,
                                                                token_holder& tokens);
// ... for a request: std::nullopt if the run gives up waiting meanwhile.
boost::asio::awaitable<std::optional<std::string>> token_unless_abandoned(request_context& ctx);

// Before anything is sent: false if the run stops instead (a pause without --wait, or a
// stop while waiting); with --wait, sleeps through a pause and records the resume.
boost::asio::awaitable<bool> hold_for_pause(row_context& ctx);

// Runs `count` workers made by `worker(i)` until every one has ended, and returns the
// exception each ended with (null when it returned). A cancellation of the caller reaches
// every worker.
boost::asio::awaitable<std::vector<std::exception_ptr>>
run_workers(boost::asio::any_io_executor executor, int count,
            std::function<boost::asio::awaitable<void>(int)> worker);

} // namespace zprov
