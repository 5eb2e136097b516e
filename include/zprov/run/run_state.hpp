// What the stages of one `zprov run` share: the row on its way, the run's counts, and why
// the run stopped (run/stop holds the stop itself). Plain values; throws nothing.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/journal/replay.hpp"
#include "zprov/run/notify.hpp"
#include "zprov/sheet/validation.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zprov {

// A row that needs sending.
struct work_item {
    user_record user;
    unsigned line = 0;
    std::string key;                // lower-cased email: the row's identity
    std::vector<std::string> cells; // the row as read, secrets blanked, for the report
    std::string intent_day;         // UTC day of the latest intent
    // When a request for the row was first sent without an answer (an earlier run's intent,
    // or this run's dropped attempt): a user Zoom created since then is this import's.
    std::optional<sys_seconds> doubt_since;
    // When the latest such request was sent (an earlier run's: its first intent; this run's
    // retries move it on): with the request timeout and a clock skew, the latest a user Zoom
    // made for this import can have been created.
    std::optional<sys_seconds> doubt_latest{};
    // Created by an earlier run: only the steps after the create (group, profile) are owed, or
    // changed by the sheet since they were applied (run/step_plan).
    bool steps_only = false;
    // A re-invite (run --reinvite, see run/reinvites): the Zoom id of the user to delete
    // before the row is created again, and whether the account's pending users listed it.
    std::string reinvite_id{};
    bool reinvite_listed = false;
    // The re-invite is wanted this run (--reinvite, stale, within --max-reinvites); without
    // it only a DELETE in doubt is settled.
    bool reinvite_wanted = false;
    // A DELETE in doubt whose row has left the sheet: settled by asking Zoom, never created.
    bool settle_only = false;
    // One create of the day's budget is reserved for the row (day_budget::reserved): taken
    // before a re-invite's DELETE, spent by its create's intent or given back.
    bool create_reserved = false;
    // With steps_only: the sheet's group is invalid now (it names no group of the account):
    // the group step is not sent, and this is said as a step problem.
    std::string group_problem{};
    // A user this journal created whose invitation expired (run --reinvite): created again,
    // with no DELETE (Zoom answers 1120 to it). `expired_id` is the id of the lapsed user.
    bool recreate_expired = false;
    std::string expired_id{};
};

struct run_counters : outcome_counts {
    std::int64_t skipped = 0;          // settled by an earlier run
    std::int64_t rejected_before = 0;  // of those, rejected by Zoom (--retry-failed resends)
    std::int64_t elsewhere_before = 0; // of those, Zoom users of another account
    std::int64_t requests = 0;
    std::int64_t rate_limited = 0;
    // This run's rows that need a person (invalid, rejected, elsewhere; those of earlier runs
    // still in the sheet too): what --notify names.
    problem_rows problems;
    // Re-invites not done (the DELETE refused, failed or in doubt, or the user not ours to
    // delete): said as row problems; the next run tries again.
    std::int64_t reinvites_failed = 0;
    std::int64_t done() const { return created + exists + rejected + failed + elsewhere; }
};

// Why a run stopped: the first reason given, and its exit code (ok: it did not stop).
struct stop_reason {
    exit_code code = exit_code::ok;
    std::string message;
};

} // namespace zprov
