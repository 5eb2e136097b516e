#include "zprov/run/account_problems.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("refusal breaker: the same code on 5 distinct rows in a row trips it") {
    refusal_breaker b;
    for (int i = 0; i < 4; ++i)
        CHECK_FALSE(b.refused(1107, std::to_string(i) + "r"));
    CHECK_FALSE(b.refused(1107, "3r")); // the same row again is not a new one
    CHECK(b.refused(1107, "4r"));
    CHECK(b.message().find("same code 1107") != std::string::npos);
}

TEST_CASE("refusal breaker: another code or a row that goes through starts again") {
    refusal_breaker b;
    for (int i = 0; i < 4; ++i)
        b.refused(300, std::to_string(i) + "a");
    CHECK_FALSE(b.refused(1107, "b"));
    for (int i = 0; i < 3; ++i)
        b.refused(1107, std::to_string(i) + "c");
    b.passed();
    CHECK_FALSE(b.refused(1107, "d"));
}

TEST_CASE("seat holds: a user type without seats is held, the message names it and the rows") {
    seat_holds seats;
    CHECK_FALSE(seats.any());
    zoom_answer a;
    a.status = 400;
    a.code = 2034;
    seats.hold(2, a);
    seats.held_back(2);
    seats.held_back(2);
    CHECK(seats.held(2));
    CHECK_FALSE(seats.held(1));
    CHECK(seats.message().find("no seats left for Licensed users") != std::string::npos);
    CHECK(seats.message().find("2 rows of that type stay pending") != std::string::npos);
}

TEST_CASE("account_fix names both kinds of scope for a missing scope") {
    zoom_answer a;
    a.code = 4711;
    auto fix = account_fix(a);
    CHECK(fix.find("user:write:admin") != std::string::npos);
    CHECK(fix.find("user:write:user:admin") != std::string::npos);
}

TEST_CASE("create scopes: classic or granular, among others") {
    CHECK(can_create_users("user:read:admin user:write:admin"));
    CHECK(can_create_users("user:write:user:admin"));
    CHECK(can_create_users("user:write"));
    CHECK_FALSE(can_create_users("user:read:admin user:read:user:admin"));
    CHECK_FALSE(can_create_users(""));
    CHECK_FALSE(can_create_users("user:write:admins"));
    auto m = create_scope_missing("user:read:admin");
    CHECK(m.find("user:write:admin") != std::string::npos);
    CHECK(m.find("user:write:user:admin") != std::string::npos);
}
