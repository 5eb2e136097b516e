// `zprov run`: the import engine. CSV rows stream into a small channel; N worker
// coroutines, each owning one keep-alive connection, take rows, pass the shared rate
// limiter and token holder, journal an intent (fdatasync) before each request and the
// outcome after it. Setup problems throw fatal_error; everything after that ends in an
// exit code returned by run_import.
#pragma once

#include "zprov/exit_codes.hpp"
#include "zprov/settings.hpp"

#include <string>

namespace zprov {

struct import_options {
    std::string csv; // path, or "-" for standard input
    settings config; // config file + command line
    bool verbose = false;
    bool trace = false;
    std::string command_line; // as typed, for "rerun with" advice
};

// Default number of workers: enough for Business+'s 80/s at 150 ms round trips, with room
// for jitter (80 x 0.15 = 12 in flight).
inline constexpr int default_concurrency = 16;
inline constexpr int default_max_attempts = 5;

exit_code run_import(const import_options& options);

// The journal path for a CSV when --journal is not given.
std::string default_journal_path(const std::string& csv);

} // namespace zprov
