#include "zprov/run/pacers.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace zprov;

TEST_CASE("pacers: each call takes its turn from its category's pacer, at the plan's limit") {
    auto now = send_pacer::clock::now();
    for (auto p : {plan::free, plan::pro, plan::business}) {
        pacer_set pacers(p, per_second(p, rate_category::light), now);
        auto& light = pacers.for_call("POST", "/users");
        CHECK(&light == &pacers.of(rate_category::light));
        CHECK(light.capacity() == static_cast<std::int64_t>(per_second(p, rate_category::light)));
        auto& medium = pacers.for_call("GET", "/groups");
        CHECK(&medium == &pacers.of(rate_category::medium));
        CHECK(medium.capacity() == static_cast<std::int64_t>(per_second(p, rate_category::medium)));
    }
    pacer_set pacers(plan::pro, 30, now);
    CHECK_THROWS_AS(pacers.for_call("DELETE", "/groups"), std::out_of_range);
}

TEST_CASE("pacers: --rate scales every category alike") {
    pacer_set pacers(plan::pro, 15, send_pacer::clock::now()); // half of Pro's 30/s
    CHECK(pacers.of(rate_category::light).capacity() == 15);
    CHECK(pacers.of(rate_category::medium).capacity() == 10); // half of 20/s
}
