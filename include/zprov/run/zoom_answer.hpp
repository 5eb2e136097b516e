// What Zoom answered to POST /users, and the one table that turns an answer into its verdict
// (verdicts in zoom_answer.cpp); the retry policy (run/retry_policy) judges every call's
// answer with it and decides what comes next. Throws nothing.
#pragma once

#include "zprov/base/clock.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

enum class verdict {
    created,            // 201: keep Zoom's id
    exists,             // 409 / 1005: the email is used; look the user up to know where
    elsewhere,          // 400 / 1009: the address is a Zoom user of another account
    rejected,           // Zoom refused this row (400/300, 404/4130, ...)
    refresh_token,      // 401, or 124 (invalid or expired token): refresh once, retry
    account_refused,    // no privilege, missing scope, SSO, cannot add users: stop (77)
    seats_exhausted,    // no seats left for the row's user type: stop sending that type (77)
    client_fault,       // Zoom says the body is malformed: zprov's own fault, stop (70)
    rate_limited,       // 429 per-second: back off and retry, not counted as an attempt
    daily_limit,        // 429 daily cap: stop sending, pause until Retry-After or 00:00 UTC
    done,               // a 2xx to a call other than a create (GET, PATCH, DELETE): it did that
    connection_refused, // no answer: the certificate or the proxy refused us; retrying is vain
    answer_too_large,   // longer than the call allows: the same call would get it again
    retry,              // 5xx or an answer we cannot trust: retry with backoff, then failed
};

struct zoom_answer {
    int status = 0;
    std::optional<int> code;     // Zoom's error code from the body
    std::string message;         // Zoom's message (or a short excerpt of a non-JSON body)
    std::string user_id;         // "id" of a 201
    std::string rate_limit_type; // X-RateLimit-Type
    std::string retry_after;     // Retry-After, as sent
    // A 201 for action create may carry the day's create quota: X-RateLimit-Limit (the
    // account's daily cap) and X-RateLimit-Remaining (what is left of it today).
    std::optional<std::int64_t> quota_limit, quota_remaining;
};

struct verdict_rule {
    int status_min, status_max; // inclusive
    std::optional<int> code;    // Zoom code to match, or any
    verdict what;
    std::string_view why;
    std::string_view message_has = {}; // a phrase the message must hold (case-insensitive)
};

std::span<const verdict_rule> verdict_table();
std::string_view name_of(verdict v);

// Reads status, body and the two headers that matter into an answer.
zoom_answer read_answer(int status, std::string_view body, std::string_view rate_limit_type,
                        std::string_view retry_after);

verdict classify(const zoom_answer& answer);

// A count header (X-RateLimit-Limit, X-RateLimit-Remaining): a whole number >= 0, or
// std::nullopt when absent or unreadable.
std::optional<std::int64_t> read_count(std::string_view value);

// Retry-After as seconds ("30"), an ISO 8601 date-time or an HTTP-date: the moment it
// names, relative to `now`. std::nullopt when absent or unreadable.
std::optional<sys_seconds> retry_after_time(std::string_view value, sys_seconds now);

// Capped exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)].
std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, std::mt19937_64& rng);

} // namespace zprov
