// What a worker does after one attempt at a row, as a pure function of Zoom's verdict (see
// zoom_answer.hpp) and what the row has been through: record an outcome, retry after a
// backoff, refresh the token, slow down, pause for the day, or stop the run. Throws nothing.
#pragma once

#include "zprov/journal.hpp"
#include "zprov/zoom_answer.hpp"

#include <chrono>
#include <optional>

namespace zprov {

enum class next_step {
    record,        // the row is done: record `outcome`
    look_up,       // 409: ask Zoom whether the user is in this account, then record
    stop_account,  // the account, not the row, was refused: stop the run (exit 77)
    hold_type,     // no seats for the row's user type: send no more rows of that type
    stop_client,   // Zoom says zprov's request is malformed: stop the run (exit 70)
    stop_token,    // the token was refused after refreshing: stop the run (exit 77)
    refresh_token, // refresh the token for every worker, then send again
    pause_for_day, // the daily cap: record a pause, then stop or wait
    slow_down,     // a per-second 429: slow the pacer, wait, send again
    back_off,      // the request may or may not have acted: wait, send again
};

// The wait before a call's next try: from 0.5 s, doubling, to 30 s, with jitter
// (backoff_delay in zoom_answer.hpp). The same for rows, lookups and other calls.
inline constexpr std::chrono::milliseconds backoff_base{500}, backoff_cap{30'000};

struct retry_limits {
    int max_attempts = 5;          // failed attempts (5xx, network) before a row fails
    int refreshes_per_row = 2;     // token refreshes one row may ask for
    int rate_limited_per_row = 10; // per-second 429s before a row is left for the next run
};

// What happened to a row so far in this run.
struct row_attempts {
    int failures = 0;     // attempts that count towards max_attempts
    int refreshes = 0;    // token refreshes it asked for
    int rate_limited = 0; // per-second 429s it got
};

struct decision {
    next_step step;
    std::optional<outcome> record; // set when step == record
};

// `stopping`: the run is stopping, so a failed attempt is not retried.
decision decide(verdict v, row_attempts& attempts, const retry_limits& limits, bool stopping);

} // namespace zprov
