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
