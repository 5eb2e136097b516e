#include "zprov/run/retry_policy.hpp"

namespace zprov {

verdict judge(const zoom_answer& answer, call_kind kind) {
    if (kind == call_kind::other && answer.status >= 200 && answer.status < 300)
        return verdict::done;
    const auto v = classify(answer);
    // The daily cap counts creates only: for another call a daily 429 is a per-second one.
    if (kind == call_kind::other && v == verdict::daily_limit)
        return verdict::rate_limited;
    return v;
}

verdict judge_failure(bool hopeless, bool too_large, call_kind kind) {
    if (hopeless)
        return verdict::connection_refused;
    if (too_large && kind == call_kind::other)
        return verdict::answer_too_large;
    return verdict::retry;
}

decision decide(verdict v, row_attempts& attempts, const retry_limits& limits, bool stopping) {
    switch (v) {
    case verdict::created:
        return {next_step::record, outcome::created};
    case verdict::done:
        return {next_step::record, std::nullopt};
    case verdict::exists:
        return {next_step::look_up, std::nullopt};
    case verdict::elsewhere:
        return {next_step::record, outcome::elsewhere};
    case verdict::seats_exhausted:
        return {next_step::hold_type, std::nullopt};
    case verdict::client_fault:
        return {next_step::stop_client, std::nullopt};
    case verdict::rejected:
        return {next_step::record, outcome::rejected};
    case verdict::account_refused:
        return {next_step::stop_account, std::nullopt};
    case verdict::connection_refused:
        return {next_step::stop_connection, std::nullopt};
    case verdict::answer_too_large: // the same call would get the same answer: failed at once
        return {next_step::record, outcome::failed};
    case verdict::refresh_token:
        if (++attempts.refreshes > limits.refreshes_per_row)
            return {next_step::stop_token, std::nullopt};
        return {next_step::refresh_token, std::nullopt};
    case verdict::daily_limit:
        return {next_step::pause_for_day, std::nullopt};
    case verdict::rate_limited:
        // Not the row's fault, but a run must end: the row waits for the next run.
        if (++attempts.rate_limited >= limits.rate_limited_per_row)
            return {next_step::record, outcome::failed};
        return {next_step::slow_down, std::nullopt};
    case verdict::retry:
        break;
    }
    // 5xx, a dropped connection, a timeout: the request may or may not have acted.
    if (++attempts.failures >= limits.max_attempts || stopping)
        return {next_step::record, outcome::failed};
    return {next_step::back_off, std::nullopt};
}

bool had_no_effect(verdict v) {
    switch (v) {
    case verdict::created:
    case verdict::done:
    case verdict::exists:
    case verdict::elsewhere:
    case verdict::rejected:
    case verdict::retry:
    case verdict::answer_too_large:
        return false;
    case verdict::refresh_token:
    case verdict::account_refused:
    case verdict::seats_exhausted:
    case verdict::client_fault:
    case verdict::rate_limited:
    case verdict::daily_limit:
    case verdict::connection_refused:
        return true;
    }
    return false;
}

} // namespace zprov
