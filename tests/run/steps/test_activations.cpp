#include "zprov/run/steps/activations.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("activations: a page of GET /users adds its users by lower-cased email, with no id") {
    pending_users pending;
    auto first = read_users_page(
        R"({"page_size":2,"total_records":3,"next_page_token":"tok","users":[)"
        R"({"email":"Ann@X.com","status":"pending"},{"email":"b@x.com","status":"pending"}]})",
        pending);
    REQUIRE(first);
    CHECK(first->next == "tok");
    CHECK(first->total_records == 3);
    CHECK(pending.holds("ann@x.com"));
    CHECK(pending.emails.at("ann@x.com").empty()); // Zoom lists pending users without ids
    auto last = read_users_page(R"({"page_size":2,"total_records":3,"next_page_token":"",)"
                                R"("users":[{"id":"U3","email":"c@x.com"}]})",
                                pending);
    REQUIRE(last);
    CHECK(last->next.empty());
    CHECK(pending.emails.size() == 3);
    CHECK(pending.emails.at("c@x.com") == "U3");
    CHECK(read_users_page(R"({"users":[]})", pending)); // no token: the last page
}

TEST_CASE("activations: an answer that is not a well-formed page of users concludes nothing") {
    for (const char* body : {
             "<html>",
             R"({"users":{}})",
             R"({"users":[1]})",
             R"({"page_size":300,"total_records":0})",           // no users array
             R"({"code":124,"message":"Invalid access token"})", // an error's shape, answered 200
             R"({"users":[{"id":"U1","status":"pending"}]})",    // an entry without its email
             R"({"users":[{"email":""}]})",
             R"({"users":[],"next_page_token":7})",
             R"({"users":[],"total_records":"3"})",
         }) {
        CAPTURE(body);
        pending_users pending;
        CHECK_FALSE(read_users_page(body, pending));
        CHECK(pending.emails.empty()); // nothing of a bad page is kept
    }
}

TEST_CASE("activations: the journal has pending users to follow only while some are pending") {
    journal_summary s;
    CHECK_FALSE(any_pending(s));
    s.rows["a@x.com"].zoom = zoom_state::pending;
    CHECK(any_pending(s));
    s.rows["a@x.com"].zoom = zoom_state::active;
    CHECK_FALSE(any_pending(s));
    s.rows["a@x.com"].zoom = zoom_state::expired;
    CHECK_FALSE(any_pending(s));
}

TEST_CASE("activations: the users to ask about are the journal's pending users the list lacks") {
    journal_summary s;
    s.rows["a@x.com"].zoom = zoom_state::pending;
    s.rows["b@x.com"].zoom = zoom_state::pending;
    s.rows["c@x.com"].zoom = zoom_state::active;
    s.rows["d@x.com"].zoom = zoom_state::pending;
    s.rows["d@x.com"].open_intent = true; // a re-create in doubt: settled by its resend
    s.steps["b@x.com"].user_id = "UB";
    pending_users listed;
    listed.emails["a@x.com"] = "";
    const auto unlisted = unlisted_users(s, listed);
    REQUIRE(unlisted.size() == 1);
    CHECK(unlisted[0].key == "b@x.com");
    CHECK(unlisted[0].id == "UB");
}

TEST_CASE("activations: what GET /users/{id} says of a user the list no longer holds") {
    const std::string ann = "ann@x.com";
    CHECK(read_asked(200, R"({"id":"U1","email":"Ann@x.com","status":"active"})", ann) ==
          asked_state::active);
    CHECK(read_asked(200, R"({"id":"U1","email":"ann@x.com","status":"pending"})", ann) ==
          asked_state::pending);
    CHECK(read_asked(400, R"({"code":1120,"message":"A valid invitation ..."})", ann) ==
          asked_state::expired);
    CHECK(read_asked(404, R"({"code":1001,"message":"User does not exist"})", ann) ==
          asked_state::gone);
    // Answers that settle nothing: another user's, an error of another kind, no status.
    CHECK(read_asked(200, R"({"id":"U1","email":"bob@x.com","status":"active"})", ann) ==
          asked_state::unknown);
    CHECK(read_asked(200, R"({"id":"U1","status":"active"})", ann) == asked_state::unknown);
    CHECK(read_asked(200, R"({"code":200,"message":"No privilege"})", ann) == asked_state::unknown);
    CHECK(read_asked(400, R"({"code":300,"message":"x"})", ann) == asked_state::unknown);
    CHECK(read_asked(200, "<html>", ann) == asked_state::unknown);
}
