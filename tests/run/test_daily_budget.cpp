#include "zprov/run/daily_budget.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("daily budget: open under the cap, spent when the users created reach it") {
    daily_budget b(50);
    CHECK(b.take({49, 10, 0}) == budget_state::open);
    CHECK(b.take({50, 50, 0}) == budget_state::spent);
    CHECK(daily_budget(0).take({1'000'000, 0, 0}) == budget_state::open); // no cap
}

TEST_CASE("daily budget: answers still on their way may fill the day: no question yet") {
    daily_budget b(50);
    CHECK(b.take({50, 40, 10}) == budget_state::spent);
    CHECK(b.take({50, 30, 10}) == budget_state::probe); // ten certainly created nothing
}

TEST_CASE("daily budget: intents spent the day but few users were created: Zoom is asked") {
    daily_budget b(50);
    // A 5xx outage: 50 intents, no user created.
    CHECK(b.take({50, 0, 0}) == budget_state::probe);
    CHECK(b.look({50, 0, 0}) == budget_state::wait); // one question at a time
    CHECK(b.take({50, 0, 0}) == budget_state::wait);
    // Zoom created the user and says 3 creates remain today.
    b.probe_answered(true, 3);
    CHECK(b.take({51, 1, 0}) == budget_state::open);
    CHECK(b.take({52, 2, 0}) == budget_state::open);
    CHECK(b.take({53, 3, 0}) == budget_state::open);
    CHECK(b.take({54, 4, 0}) == budget_state::probe); // the allowance is used: ask again
    // A 201 without the header: the next request asks again.
    b.probe_answered(true, std::nullopt);
    CHECK(b.take({55, 5, 0}) == budget_state::probe);
    // The probe failed (5xx): the next request asks again, it is not spent.
    b.probe_answered(false, std::nullopt);
    CHECK(b.take({56, 5, 0}) == budget_state::probe);
}

TEST_CASE("daily budget: Zoom's X-RateLimit-Remaining below the journal's count wins") {
    daily_budget b(1500);
    // The journal has 10 intents today; the 10th, still open, was answered 201 with 20
    // remaining (other apps spent 1470). Nothing else is on its way.
    b.zoom_remaining({10, 9, 1, 20000}, 20);
    CHECK(b.take({10, 10, 0, 20000}) == budget_state::open);
    CHECK(b.take({29, 29, 0, 20000}) == budget_state::open);
    CHECK_FALSE(b.spent_by_zoom({29, 29, 0, 20000}));
    CHECK(b.take({30, 30, 0, 20000}) == budget_state::spent);
    CHECK(b.spent_by_zoom({30, 30, 0, 20000}));
    CHECK(b.spent_reason({30, 30, 0, 20000}, "2024-10-04") ==
          "Zoom's X-RateLimit-Remaining says the day's creates are spent for 2024-10-04 (20 left "
          "at its last answer, for the requests then on their way), before the journal's count "
          "reached the daily create cap (1500): other apps on the account create users too");
    CHECK(b.spent_reason({29, 29, 0, 20000}, "2024-10-04") ==
          "the daily create cap (1500) is spent for 2024-10-04");
    // A new UTC day: Zoom's figure was yesterday's.
    CHECK(b.take({30, 30, 0, 20001}) == budget_state::open);
}

TEST_CASE("daily budget: Zoom's lowest figure bounds the day, with every 201 seen counted "
          "before it") {
    daily_budget b(1500);
    // 80 users created today, and this 201 says 10 remain: of the 100 intents, those not
    // answered 201 may be counted after it, so 91 in all.
    b.zoom_remaining({100, 80, 9, 20000}, 10);
    CHECK(b.take({90, 85, 0, 20000}) == budget_state::open);
    CHECK(b.take({91, 85, 0, 20000}) == budget_state::spent);
    // Answers still on their way may show more counted before the figure: wait for them.
    CHECK(b.take({91, 85, 0, 20000, 3}) == budget_state::wait);
    // An answer counted earlier (a higher figure) comes later: the lowest still bounds.
    b.zoom_remaining({91, 81, 3, 20000}, 12);
    CHECK(b.take({91, 82, 0, 20000}) == budget_state::open);
    CHECK(b.take({92, 82, 0, 20000}) == budget_state::spent);
    // A lower figure replaces it.
    b.zoom_remaining({93, 82, 1, 20000}, 5);
    CHECK(b.take({87, 83, 0, 20000}) == budget_state::open);
    CHECK(b.take({88, 83, 0, 20000}) == budget_state::spent);
}

TEST_CASE("daily budget: Zoom's figure above the journal's leaves the journal's cap") {
    daily_budget b(50);
    b.zoom_remaining({10, 9, 1, 20000}, 9990);
    CHECK(b.take({50, 50, 0, 20000}) == budget_state::spent);
    CHECK(b.spent_reason({50, 50, 0, 20000}, "2024-10-04") ==
          "the daily create cap (50) is spent for 2024-10-04");
    // No daily cap (an action Zoom does not cap per day): the figure is not followed.
    daily_budget uncapped(0);
    uncapped.zoom_remaining({10, 9, 1, 20000}, 0);
    CHECK(uncapped.take({11, 10, 0, 20000}) == budget_state::open);
}

TEST_CASE("plan hint: Zoom's daily limit names the plan to pass") {
    CHECK_FALSE(plan_hint(plan::pro, 1500));
    CHECK(plan_hint(plan::pro, 10000) ==
          "Zoom reports a daily limit of 10000: this account looks like Business+; pass --plan "
          "business");
    CHECK(plan_hint(plan::business, 50) ==
          "Zoom reports a daily limit of 50: this account looks like Free; pass --plan free");
    CHECK(plan_hint(plan::pro, 3000) ==
          "Zoom reports a daily limit of 3000, not the 1500 of --plan pro: pass --daily-cap 3000");
    CHECK_FALSE(plan_hint(plan::pro, 0));
}

TEST_CASE("daily budget: the day's first create goes alone and Zoom's figure in its answer bounds "
          "the rest") {
    daily_budget b(1500);
    CHECK(b.take({0, 0, 0, 20000}) == budget_state::probe);
    // Its intent is journaled: the others wait for its answer all the same.
    CHECK(b.take({1, 0, 1, 20000}) == budget_state::wait);
    // Other tools spent 1490: its 201 says 9 remain.
    b.zoom_remaining({1, 0, 1, 20000}, 9);
    b.probe_answered(true, 9);
    CHECK(b.take({1, 1, 0, 20000}) == budget_state::open);
    CHECK(b.take({9, 9, 0, 20000}) == budget_state::open);
    CHECK(b.take({10, 10, 0, 20000}) == budget_state::spent);
    // Not beyond the cap on the probe's word: its figure is the day's, not an allowance.
    daily_budget low(5);
    CHECK(low.take({0, 0, 0, 20000}) == budget_state::probe);
    low.probe_answered(true, 1000);
    CHECK(low.take({5, 5, 0, 20000}) == budget_state::spent);
    CHECK(low.take({5, 4, 0, 20000}) == budget_state::probe); // the beyond-the-cap question
}

TEST_CASE("daily budget: a first create not sent after all leaves the question to the next") {
    daily_budget b(50);
    CHECK(b.take({0, 0, 0, 20000}) == budget_state::probe);
    b.probe_dropped();
    CHECK(b.take({0, 0, 0, 20000}) == budget_state::probe);
    b.probe_answered(false, std::nullopt); // answered without a figure (a 409, say)
    CHECK(b.take({1, 0, 0, 20000}) == budget_state::open);
    // The next UTC day asks again.
    CHECK(b.take({0, 0, 0, 20001}) == budget_state::probe);
    CHECK(daily_budget(0).take({0, 0, 0, 20000}) == budget_state::open); // no cap
}
