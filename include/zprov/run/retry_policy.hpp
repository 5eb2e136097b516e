// What an answer means and what comes after it, for every call to Zoom: judge() turns one
// try's result (Zoom's answer, or the connection's failure) into a verdict (zoom_answer.hpp),
// and decide() turns the verdict, with what the call has been through, into what the caller
// does next: record an outcome, retry after a backoff, refresh the token, slow down, pause
// for the day, or stop the run. Which answers certainly had no effect is said here too.
// Pure; throws nothing.
#pragma once

#include "zprov/journal/replay.hpp"
#include "zprov/run/zoom_answer.hpp"

#include <chrono>
#include <optional>

namespace zprov {

enum class next_step {
    record,          // settled: a create records `outcome`; another call has its answer
    look_up,         // 409: ask Zoom whether the user is in this account, then record
    stop_account,    // the account, not the row, was refused: stop the run (exit 77)
    hold_type,       // no seats for the row's user type: send no more rows of that type
    stop_client,     // Zoom says zprov's request is malformed: stop the run (exit 70)
    stop_token,      // the token was refused after refreshing: stop the run (exit 77)
    stop_connection, // the certificate or the proxy refused us: retrying cannot help
    refresh_token,   // refresh the token for every worker, then send again
    pause_for_day,   // the daily cap: record a pause, then stop or wait
    slow_down,       // a per-second 429: slow the pacer, wait, send again
    back_off,        // the request may or may not have acted: wait, send again
};

// Which rules apply: the daily cap counts creates only, and only a create answers 201.
enum class call_kind { create, other };

struct retry_limits {
    int max_attempts = 5;          // failed attempts (5xx, network) before a row fails
    int refreshes_per_row = 2;     // token refreshes one row may ask for
    int rate_limited_per_row = 10; // per-second 429s before a row is left for the next run
    // The wait before a call's next try: from `backoff_base`, doubling, to `backoff_cap`,
    // with jitter (backoff_delay in zoom_answer.hpp); a Retry-After is honoured up to the cap.
    std::chrono::milliseconds backoff_base{500};
    std::chrono::milliseconds backoff_cap{30'000};
};

// What happened to a row so far in this run.
struct row_attempts {
    int failures = 0;     // attempts that count towards max_attempts
    int refreshes = 0;    // token refreshes it asked for
    int rate_limited = 0; // per-second 429s it got
};

struct decision {
    next_step step;
    std::optional<outcome> record; // set when a create's step == record
};

// What Zoom's answer to a call of `kind` means: a 2xx answers a call other than a create
// (done); for those calls a daily 429 is a per-second one.
verdict judge(const zoom_answer& answer, call_kind kind);
// What a try that got no answer means: `hopeless` when retrying cannot help (a refused
// certificate or proxy: connection_refused); `too_large` when the answer was longer than the
// call allows, which the same call would get again (answer_too_large), though a create's may
// have acted (retry); any other failure may or may not have reached Zoom (retry).
verdict judge_failure(bool hopeless, bool too_large, call_kind kind);

// `stopping`: the run is stopping, so a failed attempt is not retried.
decision decide(verdict v, row_attempts& attempts, const retry_limits& limits, bool stopping);

// Whether a try judged `v` certainly had no effect in Zoom (refused before acting, or never
// written): a create's intent is settled at once. A success, a refusal of the row, a 409 and
// an answer that may hide an effect (a 5xx, a lost answer) are not.
bool had_no_effect(verdict v);

} // namespace zprov
