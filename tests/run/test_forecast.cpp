#include "zprov/run/forecast.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("plan table holds Zoom's limits") {
    CHECK(limits_of(plan::free).requests_per_second == 4);
    CHECK(limits_of(plan::free).daily_create_cap == 50);
    CHECK(limits_of(plan::pro).requests_per_second == 30);
    CHECK(limits_of(plan::pro).daily_create_cap == 1500);
    CHECK(limits_of(plan::business).requests_per_second == 80);
    CHECK(limits_of(plan::business).daily_create_cap == 10000);
    CHECK(parse_plan("business") == plan::business);
    CHECK_FALSE(parse_plan("gold"));
}

TEST_CASE("only action create is daily-capped - only autoCreate sends passwords") {
    CHECK(info_of(create_action::create).daily_capped);
    CHECK_FALSE(info_of(create_action::auto_create).daily_capped);
    CHECK(info_of(create_action::auto_create).sends_password);
    CHECK_FALSE(info_of(create_action::create).sends_password);
    CHECK(info_of(create_action::sso_create).allows_type_none);
    CHECK(parse_action("ssoCreate") == create_action::sso_create);
    CHECK_FALSE(parse_action("ssocreate"));
}

TEST_CASE("forecast: 3,200 rows on Pro need 3 UTC days") {
    auto f = forecast_import(3200, 30, 1500);
    CHECK(f.days_needed == 3);
    CHECK(f.seconds_at_rate == doctest::Approx(3200.0 / 30));
    CHECK(forecast_import(1500, 30, 1500).days_needed == 1);
    CHECK(forecast_import(1501, 30, 1500).days_needed == 2);
    CHECK(forecast_import(0, 30, 1500).days_needed == 0);
    // No daily cap: only the per-second limit counts (10 M rows at 80/s > 1 day).
    CHECK(forecast_import(10'000'000, 80, 0).days_needed == 2);
    CHECK(forecast_import(100, 80, 0).days_needed == 1);
}

TEST_CASE("human_duration") {
    CHECK(human_duration(4.2) == "5 s");
    CHECK(human_duration(125) == "2 min 5 s");
    CHECK(human_duration(3 * 3600 + 60) == "3 h 1 min");
}

TEST_CASE("step forecast: create sets the group now and the profile later, other actions both "
          "at once, the time at the plan's Light and Medium rates") {
    step_forecast create;
    create.add_row(true, true, create_action::create);
    create.add_row(true, false, create_action::create);
    create.add_row(false, true, create_action::create);
    create.add_row(false, false, create_action::create);
    create.group_lists = 1;
    CHECK(create.patches_now == 2);
    CHECK(create.patches_later == 2);
    // Free: Light 4/s, Medium 2/s: 2 PATCH and 1 GET /groups.
    CHECK(create.seconds_now(plan::free, 4) == doctest::Approx(2.0 / 4 + 1.0 / 2));
    CHECK(create.seconds_later(4) == doctest::Approx(0.5));
    // --rate 15 on Pro (half of Light) gives Medium half of its 20/s too.
    CHECK(category_rate(plan::pro, 15, rate_category::medium) == doctest::Approx(10));
    CHECK(describe(create, plan::free, 4) ==
          "Group and profile steps: 1 GET /groups (Medium, 2/s) and 2 PATCH /users/{id} "
          "(Light, 4/s, shared with the creates) add about 1 s; 2 profiles follow by PATCH in "
          "a later run, once the invited users are active (about 1 s).");

    step_forecast active;
    active.add_row(true, true, create_action::auto_create);
    active.add_row(false, true, create_action::cust_create);
    active.add_row(false, false, create_action::sso_create);
    CHECK(active.patches_now == 2);
    CHECK(active.patches_later == 0);
    CHECK(describe(step_forecast{}, plan::pro, 30).empty());
}
