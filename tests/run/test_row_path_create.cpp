// The row path in process (row_path_fixture.hpp): creates, Zoom's refusals of a row, and a
// 409 settled by looking the user up.
#include "zprov/run/row_sender.hpp"

#include "support/row_path_fixture.hpp"

#include "zprov/zoom/codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace zprov::test;

namespace {
const std::string users = "/v2/users";
const std::string lookup = "/v2/users/"; // GET /users/{email}

// GET /users/{email} as Zoom answers it: `user_created_at` the creation; `created_at`, for a
// pending user, the time of the call (zoom/FACTS.md), never to be read as the creation.
nlohmann::json found_user(const std::string& id, const std::string& status,
                          const std::string& user_created_at) {
    return {{"id", id},
            {"email", "ada@example.com"},
            {"status", status},
            {"created_at", iso8601(now_utc())},
            {"user_created_at", user_created_at}};
}
} // namespace

TEST_CASE("row path: a 201 is journaled created with Zoom's id, after its intent") {
    row_path f;
    f.zoom.on("POST", users, {user_created("zoom-id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK(row.last == outcome::created);
    CHECK_FALSE(row.open_intent);
    CHECK(row.attempts == 1);
    CHECK(f.tally.count.created == 1);
    CHECK(f.tally.count.requests == 1);
    const auto sent = f.zoom.requests("POST", users);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].target == users);
    CHECK(sent[0].authorization == "Bearer static-token");
    CHECK(sent[0].content_type == "application/json");
    CHECK(nlohmann::json::parse(sent[0].body)["action"] == "create");
    CHECK(nlohmann::json::parse(sent[0].body)["user_info"]["email"] == "ada@example.com");
    const auto text = f.journal_text();
    CHECK(text.find(R"("type":"intent")") < text.find(R"("id":"zoom-id-1")"));
    CHECK_FALSE(f.stop.stopping());
}

TEST_CASE("row path: a sub-account's rows are created under /accounts/{id}/users") {
    row_path f({.account = "sub one"});
    f.zoom.on("POST", "/v2/accounts/sub%20one/users", {user_created("zoom-id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.zoom.unscripted() == 0);
}

TEST_CASE("row path: --trace shows the request with the password hidden") {
    row_path f({.action = create_action::auto_create, .daily_cap = 0});
    f.zoom.on("POST", users, {user_created("zoom-id-1")});
    auto item = f.row("ada@example.com");
    item.user.password = "Secret-Pass-1";
    f.send(item);
    REQUIRE(f.zoom.requests("POST", users).size() == 1);
    CHECK(f.zoom.requests("POST", users)[0].body.find("Secret-Pass-1") != std::string::npos);
    CHECK(f.said_that("POST /v2/users HTTP/1.1"));
    CHECK(f.said_that("[redacted]"));
    CHECK_FALSE(f.said_that("Secret-Pass-1"));
    CHECK_FALSE(f.said_that("static-token"));
}

TEST_CASE("row path: a row Zoom refuses is rejected with its code and message, not resent") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(400, 300, "Invalid field: first_name")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::rejected);
    CHECK(f.zoom.requests("POST", users).size() == 1);
    CHECK(f.tally.count.rejected == 1);
    CHECK(f.journal_text().find("Invalid field: first_name") != std::string::npos);
    CHECK_FALSE(f.stop.stopping());
}

TEST_CASE("row path: 400/1009 is a user of another account: elsewhere, no lookup") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(400, zoom_code::active_elsewhere, "active elsewhere")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::elsewhere);
    CHECK(f.zoom.requests("GET", lookup).empty());
}

TEST_CASE("row path: a 201 without an id is not trusted: sent again") {
    row_path f;
    f.zoom.on("POST", users, {answer(201, {{"email", "ada@example.com"}}), user_created("id-2")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.zoom.requests("POST", users).size() == 2);
    CHECK(f.journal().rows.at("ada@example.com").attempts == 2);
}

TEST_CASE("row path: five rows refused with one code in a row stop the run (77)") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(400, zoom_code::domain_blocked, "blocked domain")});
    for (int i = 0; i < 5; ++i) {
        auto item = f.row("user" + std::to_string(i) + "@blocked.example");
        f.send(item);
    }
    CHECK(f.tally.count.rejected == 5);
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.stop.message().find("1107") != std::string::npos);
}

TEST_CASE("row path: 409, and the lookup finds the user here: exists, with Zoom's status") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(409, zoom_code::email_used, "User already exists")});
    f.zoom.on("GET", lookup, {answer(200, found_user("zid", "active", "2020-01-01T00:00:00Z"))});
    auto item = f.row("ada@example.com");
    f.send(item);
    const auto gets = f.zoom.requests("GET", lookup);
    REQUIRE(gets.size() == 1);
    CHECK(gets[0].target == "/v2/users/ada%40example.com");
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::exists);
    CHECK(f.journal_text().find(R"("zoom_status":"active")") != std::string::npos);
    // The Light category's last requests, for the next run's pacer: the create (its intent)
    // and the lookup (a call record).
    CHECK(f.journal().recent_sends_ms[static_cast<std::size_t>(rate_category::light)].size() == 2);
}

TEST_CASE("row path: 409, and the lookup says 404/1001: a user outside the account") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(409, zoom_code::email_used, "User already exists")});
    f.zoom.on("GET", lookup, {zoom_refusal(404, zoom_code::user_not_found, "User not exist")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::elsewhere);
    CHECK(f.tally.count.elsewhere == 1);
}

TEST_CASE("row path: 409, and the lookup is refused for the account: stop 77, row pending") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(409, zoom_code::email_used, "User already exists")});
    f.zoom.on("GET", lookup, {zoom_refusal(400, zoom_code::no_privilege, "No privilege.")});
    auto item = f.row("ada@example.com");
    f.send(item);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK_FALSE(row.last.has_value());
    CHECK_FALSE(row.open_intent); // settled: the 409 created nothing
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.stop.message().find("user:read:admin") != std::string::npos);
}

TEST_CASE("row path: 409, and the lookup keeps failing: failed, sent again next run") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(409, zoom_code::email_used, "User already exists")});
    f.zoom.on("GET", lookup, {answer(503, {{"message", "busy"}})});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::failed);
    CHECK(f.zoom.requests("GET", lookup).size() == 3); // --max-attempts
    CHECK(f.journal_text().find("looking the user up failed") != std::string::npos);
}

TEST_CASE("row path: a lost answer, then 409 for a user created since: created by that request") {
    row_path f;
    f.zoom.on("POST", users,
              {failing(scripted_answer::fault::lost),
               zoom_refusal(409, zoom_code::email_used, "User already exists")});
    // Created after the first request was sent: that request did it.
    f.zoom.on("GET", lookup, {answer(200, found_user("zid", "pending", iso8601(now_utc())))});
    auto item = f.row("ada@example.com");
    f.send(item);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK(row.last == outcome::created);
    CHECK(row.attempts == 2);
    CHECK(f.journal_text().find("created by this import's unanswered request") !=
          std::string::npos);
}

TEST_CASE("row path: a row in doubt since an earlier run, 409 for a user an administrator "
          "made 20 days after that request: exists, not claimed (created_at is the GET's time)") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(409, zoom_code::email_used, "User already exists")});
    const auto made = iso8601(now_utc() - std::chrono::hours(2));
    f.zoom.on("GET", lookup, {answer(200, found_user("zid", "pending", made))});
    auto item = f.row("ada@example.com");
    item.doubt_since = item.doubt_latest = now_utc() - std::chrono::days(20);
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::exists);
}

TEST_CASE("row path: a row in doubt since an earlier run, 409 for a user made within the "
          "request's time of it: created by this import") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(409, zoom_code::email_used, "User already exists")});
    const auto intent = now_utc() - std::chrono::days(2);
    f.zoom.on(
        "GET", lookup,
        {answer(200, found_user("zid", "pending", iso8601(intent + std::chrono::seconds(20))))});
    auto item = f.row("ada@example.com");
    item.doubt_since = item.doubt_latest = intent;
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
}

TEST_CASE("row path: a row in doubt since an earlier run, 409 for a user older: exists") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(409, zoom_code::email_used, "User already exists")});
    f.zoom.on("GET", lookup, {answer(200, found_user("zid", "active", "2020-01-01T00:00:00Z"))});
    auto item = f.row("ada@example.com");
    item.doubt_since = now_utc() - std::chrono::hours(1);
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::exists);
}
