#include "zprov/plans.hpp"

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
