// What the stages of one `zprov run` share, in small structs each named for its job and built
// by name (designated initialisers): what a request needs (request_context), what the run
// counts (run_tally), the day's create budget (day_budget), and, for a row, these with the
// journal and the row's options (row_context). Plain values and references; throws nothing.
#pragma once

#include "zprov/base/clock.hpp"
#include "zprov/net/endpoint.hpp"
#include "zprov/run/account_problems.hpp"
#include "zprov/run/config.hpp"
#include "zprov/run/daily_budget.hpp"
#include "zprov/run/retry_policy.hpp"
#include "zprov/run/run_state.hpp"
#include "zprov/run/stop.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

namespace zprov {

class journal_syncer;
class pacer_set;
class run_journal;
class token_holder;
class worker_sizer;

// The operator's side of a run: lines to say, and how much of each request to show.
struct run_log {
    std::function<void(const std::string&)> say{}; // a line for the operator (may be empty)
    // --wait: sleeping through a pause until the time given (std::nullopt: not waiting).
    std::function<void(std::optional<sys_seconds>)> waiting{};
    bool verbose = false; // each row's answer
    bool trace = false;   // each request and answer, headers included

    void line(const std::string& text) const {
        if (say)
            say(text);
    }
    void line_if_verbose(const std::string& text) const {
        if (verbose)
            line(text);
    }
};

// What a request to Zoom's API needs: where it goes, its token, its pacing (one pacer per
// rate-limit category, taken by the call's method and path), how it is retried, what stops
// it and what is said of it.
struct request_context {
    const endpoint& api;
    std::string account{}; // --account-id (zoom_api's paths encode it); empty: the app's own
    token_holder& tokens;
    pacer_set& pacers;
    retry_limits retry{};
    stop_state& stop;
    run_log log{};
    std::mt19937_64 rng{std::random_device{}()}; // backoff jitter, multipart boundaries
    // Told of each turn asked for and granted, by connection (null: none; run/worker_sizer).
    worker_sizer* workers = nullptr;
    // Told right before a request other than a create is written, with its rate-limit
    // category (the journal's call record; empty: none).
    std::function<void(rate_category)> sending{};
};

// What the run counts: the rows' outcomes, and the streaks that say the run is stuck.
struct run_tally {
    run_counters count{};
    seat_holds seats{};         // user types Zoom has no seats left for
    refusal_breaker breaker{5}; // one error code on several rows in a row stops the run
    int consecutive_failed = 0; // rows failed in a row: three mean an outage
    // Per-second 429s for requests sent while the pacer was starved (see send_pacer), since
    // Zoom last accepted one: requests sent faster say nothing about the slowest rate.
    int consecutive_rate_limited = 0;
    std::chrono::steady_clock::time_point last_accepted{}; // when Zoom last took a request
    std::chrono::steady_clock::time_point starved_since{}; // when the pacer became starved
};

// The day's create budget: the journal's count, and Zoom's figures when it gives them.
struct day_budget {
    send_limits limits; // the plan (for Zoom's hint) and the daily cap
    daily_budget budget{limits.daily_cap};
    // Notified when a create is answered (the workers waiting for the probe, or for the
    // answers on their way, look again).
    event answered{};
    bool plan_hint_given = false; // Zoom's X-RateLimit-Limit disagreed with --plan: said once
    // Creates reserved before a re-invite's DELETE and not yet journaled as intents: they
    // count as requests on their way, so that no other row spends them.
    std::int64_t reserved = 0;
    std::int64_t in_flight = 0;  // creates sent (intent journaled) and not answered yet
    sys_seconds refused_until{}; // a daily 429 of Zoom's pauses the creates until then
};

// How rows are created and followed up, as the run's options say.
struct row_options {
    create_action action = create_action::create;
    body_format body = body_format::json;
    bool wait = false;            // --wait: sleep through a pause instead of stopping
    bool update_existing = false; // --update-existing
};

// What sending one row needs.
struct row_context {
    request_context& requests;
    run_journal& journal; // buffered: a record is acted on once `syncer` has flushed it
    journal_syncer& syncer;
    day_budget& day;
    run_tally& tally;
    row_options options{};
};

} // namespace zprov
