// How a run ends early. Its shutdown is one coroutine, racing the pipeline (run/import): the
// first signal (SIGINT, SIGTERM, SIGHUP) stops the intake and ends every wait at once, while
// the requests in flight are answered and journaled; a second signal, or the end of a 20 s
// grace period, halts the run: the coroutine ends, and with it the race cancels the pipeline.
// A request written but not answered then stays an intent without an outcome (in doubt),
// which the next run resolves. And a worker's exception becomes the run's stop reason
// (stop_for_failure). Throws only std::bad_alloc, and operation_aborted when the race
// cancels the shutdown (the pipeline ended first).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <string>

namespace zprov {

class stop_state;

class run_shutdown {
public:
    // Catches the signals from now until it is destroyed: for the whole run, so that a signal
    // during the run's end is caught, not fatal.
    explicit run_shutdown(boost::asio::any_io_executor executor);
    ~run_shutdown();
    run_shutdown(const run_shutdown&) = delete;
    run_shutdown& operator=(const run_shutdown&) = delete;

    // The shutdown: waits for a signal, then interrupts `stop`, then halts it; `say` tells
    // the operator.
    boost::asio::awaitable<void> run(stop_state& stop, std::function<void(const std::string&)> say);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// A worker's (or the pipeline's) exception `e` becomes the run's stop reason, or is said on
// its own (`say`) when an earlier reason stopped the run; one that a halt caused is expected.
void stop_for_failure(stop_state& stop, std::exception_ptr e,
                      const std::function<void(const std::string&)>& say);

} // namespace zprov
