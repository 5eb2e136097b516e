#include "zprov/run/activations.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("activations: a page of GET /users adds its users by id and lower-cased email") {
    pending_users pending;
    auto next = read_users_page(
        R"({"page_size":2,"total_records":3,"next_page_token":"tok","users":[)"
        R"({"id":"U1","email":"Ann@X.com","status":"pending"},{"id":"U2","email":"b@x.com"}]})",
        pending);
    REQUIRE(next);
    CHECK(*next == "tok");
    CHECK(pending.ids.contains("U1"));
    CHECK(pending.emails.contains("ann@x.com"));
    auto last = read_users_page(R"({"page_size":2,"total_records":3,"next_page_token":"",)"
                                R"("users":[{"id":"U3","email":"c@x.com"}]})",
                                pending);
    REQUIRE(last);
    CHECK(last->empty());
    CHECK(pending.ids.size() == 3);

    CHECK(pending.holds("whoever@x.com", "U2")); // by id when the journal has one
    CHECK_FALSE(pending.holds("ann@x.com", "U9"));
    CHECK(pending.holds("ann@x.com", "")); // else by email

    CHECK(read_users_page(R"({"users":[]})", pending)); // no token: the last page
    CHECK_FALSE(read_users_page("<html>", pending));
    CHECK_FALSE(read_users_page(R"({"users":{}})", pending));
    CHECK_FALSE(read_users_page(R"({"users":[1]})", pending));
}

TEST_CASE("activations: the journal has pending users to follow only while some are pending") {
    journal_summary s;
    CHECK_FALSE(any_pending(s));
    s.rows["a@x.com"].zoom = zoom_state::pending;
    CHECK(any_pending(s));
    s.rows["a@x.com"].zoom = zoom_state::active;
    CHECK_FALSE(any_pending(s));
}
