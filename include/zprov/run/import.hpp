// `zprov run`: the import engine. The run reads top to bottom in src/run/import.cpp: open
// the journal, stream the sheet's rows (run/row_source) to N worker coroutines, each owning
// one keep-alive connection; each worker sends its row (run/row_sender) after the daily
// budget, the shared pacer and the token holder let it, journaling an intent before the
// request and the outcome after it, as the retry policy (run/retry_policy) says; then the
// summary (run/run_summary). Every wait races the run's one stop (run/stop, run/row_waits);
// the run's shutdown (run/shutdown) is one coroutine racing the pipeline: a signal ends the
// waits at once and lets the requests in flight finish; a second signal, or 20 s later, ends
// the shutdown first, which cancels the pipeline where it is. Setup problems throw
// fatal_error; everything after that ends in an exit code returned by run_import.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/run/config.hpp"

#include <string>

namespace zprov {

struct import_options {
    std::string csv;   // path, or "-" for standard input
    run_config config; // config file + command line, resolved
    bool verbose = false;
    bool trace = false;
    std::string command_line; // as typed, for "rerun with" advice
};

// The most workers (connections) by default: the run keeps as many at work as its rate needs
// over the round trips it measures (run/worker_sizer), up to this: 80/s at 500 ms.
inline constexpr int default_concurrency = 64;
inline constexpr int default_max_attempts = 5;

exit_code run_import(const import_options& options);

} // namespace zprov
