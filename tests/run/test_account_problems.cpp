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

TEST_CASE("scope preflight: every call the run will make, in the token's form of scopes") {
    using op = zoom_api::operation;
    const auto hr = operations_of({.updates = true, .groups = false, .follows_invitations = true});
    CHECK(hr == std::vector<op>{op::create_user, op::get_user, op::update_user, op::list_users});
    const auto all = operations_of(
        {.updates = true, .groups = true, .follows_invitations = true, .reinvites = true});
    CHECK(all.size() == 8);

    // A granular app without the update scope: named exactly, in its granular form.
    const std::string granular =
        "user:write:user:admin user:read:user:admin user:read:list_users:admin";
    CHECK(missing_scopes(granular, hr, false) ==
          std::vector<std::string>{"user:update:user:admin"});
    // The same app for a sub-account: the :master forms.
    const std::string master =
        "user:write:user:master user:read:user:master user:read:list_users:master";
    CHECK(missing_scopes(master, hr, true) == std::vector<std::string>{"user:update:user:master"});
    // Classic scopes: user:write:admin allows creating, updating and deleting.
    CHECK(missing_scopes("user:write:admin user:read:admin", hr, false).empty());
    CHECK(missing_scopes("user:write:admin", all, false) ==
          std::vector<std::string>{"group:read:admin", "group:write:admin"});
    CHECK(missing_scopes(granular, all, false) ==
          std::vector<std::string>{"user:update:user:admin", "group:read:list_groups:admin",
                                   "group:write:member:admin", "group:update:member:admin",
                                   "user:delete:user:admin"});
    const auto said = scopes_missing_message(granular, {"user:update:user:admin"}, false);
    CHECK(said.find("user:update:user:admin") != std::string::npos);
    CHECK(said.find("Nothing was sent") != std::string::npos);
}
