// What the stages of one `zprov run` share: the row on its way, the run's counts, and why
// the run stops. Plain values; throws nothing.
#pragma once

#include "zprov/exit_codes.hpp"
#include "zprov/journal.hpp"
#include "zprov/validation.hpp"

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
    // Created by an earlier run: only the steps after the create (group, profile) are owed.
    bool steps_only = false;
};

struct run_counters : outcome_counts {
    std::int64_t skipped = 0;          // settled by an earlier run
    std::int64_t rejected_before = 0;  // of those, rejected by Zoom (--retry-failed resends)
    std::int64_t elsewhere_before = 0; // of those, Zoom users of another account
    std::int64_t requests = 0;
    std::int64_t rate_limited = 0;
    std::int64_t done() const { return created + exists + rejected + failed + elsewhere; }
};

// Why the run stops. The first reason wins; an interruption (a signal) also means that
// work waiting for its turn gives up, while requests already sent are answered.
class stop_state {
public:
    void request(exit_code code, const std::string& message) {
        if (!stopping_ || code_ == exit_code::ok) {
            code_ = code;
            message_ = message;
        }
        stopping_ = true;
    }
    void interrupt(const std::string& message) {
        interrupted_ = true;
        request(exit_code::paused, message);
    }

    bool stopping() const { return stopping_; }
    bool interrupted() const { return interrupted_; }
    // A worker holding an intent within the day's budget still sends it when the run stops
    // at the daily cap; it gives up on an interruption or a fatal stop.
    bool abandons_waiting() const {
        return interrupted_ || (stopping_ && code_ != exit_code::paused);
    }
    exit_code code() const { return code_; }
    const std::string& message() const { return message_; }

private:
    bool stopping_ = false;
    bool interrupted_ = false;
    exit_code code_ = exit_code::ok;
    std::string message_;
};

} // namespace zprov
