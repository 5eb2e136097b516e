#include "zprov/run/retry_policy.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("retry policy: answers about the row are recorded at once") {
    row_attempts tries;
    retry_limits limits;
    CHECK(decide(verdict::created, tries, limits, false).record == outcome::created);
    CHECK(decide(verdict::exists, tries, limits, false).step == next_step::look_up);
    CHECK(decide(verdict::elsewhere, tries, limits, false).record == outcome::elsewhere);
    CHECK(decide(verdict::seats_exhausted, tries, limits, false).step == next_step::hold_type);
    CHECK(decide(verdict::client_fault, tries, limits, false).step == next_step::stop_client);
    CHECK(decide(verdict::rejected, tries, limits, false).record == outcome::rejected);
    CHECK(decide(verdict::rejected, tries, limits, true).step == next_step::record);
    CHECK(tries.failures == 0);
}

TEST_CASE("retry policy: a failing row backs off until its attempts are spent, then fails") {
    row_attempts tries;
    retry_limits limits{3, 2};
    CHECK(decide(verdict::retry, tries, limits, false).step == next_step::back_off);
    CHECK(decide(verdict::retry, tries, limits, false).step == next_step::back_off);
    auto last = decide(verdict::retry, tries, limits, false);
    CHECK(last.step == next_step::record);
    CHECK(last.record == outcome::failed);
    CHECK(tries.failures == 3);
}

TEST_CASE("retry policy: a stopping run does not retry a failed attempt") {
    row_attempts tries;
    auto d = decide(verdict::retry, tries, retry_limits{}, true);
    CHECK(d.step == next_step::record);
    CHECK(d.record == outcome::failed);
}

TEST_CASE("retry policy: 429s and token refusals do not spend the row's attempts") {
    row_attempts tries;
    retry_limits limits{1, 2};
    CHECK(decide(verdict::rate_limited, tries, limits, false).step == next_step::slow_down);
    CHECK(decide(verdict::daily_limit, tries, limits, false).step == next_step::pause_for_day);
    CHECK(decide(verdict::refresh_token, tries, limits, false).step == next_step::refresh_token);
    CHECK(decide(verdict::refresh_token, tries, limits, false).step == next_step::refresh_token);
    // A third refusal of a fresh token: the credentials are the problem.
    CHECK(decide(verdict::refresh_token, tries, limits, false).step == next_step::stop_token);
    CHECK(tries.failures == 0);
}

TEST_CASE("retry policy: a refusal of the account stops the run") {
    row_attempts tries;
    auto d = decide(verdict::account_refused, tries, retry_limits{}, false);
    CHECK(d.step == next_step::stop_account);
    CHECK_FALSE(d.record.has_value());
}

TEST_CASE("retry policy: judge reads a try the same for every call, with the create's own rules") {
    zoom_answer ok;
    ok.status = 200;
    CHECK(judge(ok, call_kind::other) == verdict::done);
    CHECK(judge(ok, call_kind::create) == verdict::retry); // a create answers 201
    zoom_answer daily;
    daily.status = 429;
    daily.rate_limit_type = "Daily-limit";
    CHECK(judge(daily, call_kind::create) == verdict::daily_limit);
    CHECK(judge(daily, call_kind::other) == verdict::rate_limited);          // creates only
    CHECK(judge_failure(false, false, call_kind::create) == verdict::retry); // may have acted
    CHECK(judge_failure(true, false, call_kind::other) == verdict::connection_refused);
    // An answer longer than the call reads: the same call gets it again; a create may have
    // acted all the same.
    CHECK(judge_failure(false, true, call_kind::other) == verdict::answer_too_large);
    CHECK(judge_failure(false, true, call_kind::create) == verdict::retry);
    row_attempts tries;
    CHECK(decide(verdict::connection_refused, tries, retry_limits{}, false).step ==
          next_step::stop_connection);
    const auto too_large = decide(verdict::answer_too_large, tries, retry_limits{}, false);
    CHECK(too_large.step == next_step::record);
    CHECK(too_large.record == outcome::failed);
    CHECK(tries.failures == 0);
}

TEST_CASE("retry policy: the answers that certainly had no effect, and those that may have") {
    for (auto v : {verdict::refresh_token, verdict::account_refused, verdict::seats_exhausted,
                   verdict::client_fault, verdict::rate_limited, verdict::daily_limit,
                   verdict::connection_refused})
        CHECK(had_no_effect(v));
    for (auto v : {verdict::created, verdict::done, verdict::exists, verdict::elsewhere,
                   verdict::rejected, verdict::retry, verdict::answer_too_large})
        CHECK_FALSE(had_no_effect(v));
}
