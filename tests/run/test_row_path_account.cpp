// The row path in process (row_path_fixture.hpp): the token refreshed after 401/124, Zoom's
// refusals for the account (stop 77), zprov's own fault (stop 70), and seats that run out.
#include "zprov/run/row_sender.hpp"

#include "support/row_path_fixture.hpp"

#include "zprov/zoom/codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace zprov::test;

namespace {
const std::string users = "/v2/users";
const std::string oauth = "/oauth/token";

scripted_answer expired_token() {
    return zoom_refusal(401, zoom_code::invalid_token, "Invalid access token.");
}
} // namespace

TEST_CASE("row path: a 401 refreshes the OAuth token once and the row goes with the new one") {
    row_path f({.oauth = true});
    f.zoom.on("POST", users, {expired_token(), user_created("id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.zoom.requests("POST", oauth).size() == 2); // the first token, then its refresh
    const auto sent = f.zoom.requests("POST", users);
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].authorization == "Bearer oauth-token-1");
    CHECK(sent[1].authorization == "Bearer oauth-token-2");
    CHECK(f.tokens.grants() == 2);
}

TEST_CASE("row path: code 124 under another status refreshes the token too") {
    row_path f({.oauth = true});
    f.zoom.on("POST", users,
              {zoom_refusal(400, zoom_code::invalid_token, "Invalid access token."),
               user_created("id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.zoom.requests("POST", users)[1].authorization == "Bearer oauth-token-2");
}

TEST_CASE("row path: a refused static token cannot be refreshed: stop 77, row pending") {
    row_path f;
    f.zoom.on("POST", users, {expired_token()});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.stop.message().find("Zoom refused the access token") != std::string::npos);
    CHECK(f.zoom.requests("POST", users).size() == 1);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK_FALSE(row.open_intent);
    CHECK_FALSE(row.last.has_value());
}

TEST_CASE("row path: fresh tokens refused again and again: stop 77 after two refreshes") {
    row_path f({.oauth = true});
    f.zoom.on("POST", users, {expired_token()});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.zoom.requests("POST", users).size() == 3);
    CHECK(f.zoom.requests("POST", oauth).size() == 3);
    CHECK(f.stop.code() == exit_code::no_permission);
}

TEST_CASE("row path: no privilege for the account stops the run (77) and says what to fix") {
    row_path f;
    f.zoom.on("POST", users, {zoom_refusal(400, zoom_code::no_privilege, "No privilege.")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.stop.message().find("for the account, not the row") != std::string::npos);
    CHECK(f.stop.message().find("The unsent rows stay pending") != std::string::npos);
    CHECK_FALSE(f.journal().rows.at("ada@example.com").open_intent);
}

TEST_CASE("row path: a missing scope stops the run (77), naming the scope") {
    row_path f;
    f.zoom.on(
        "POST", users,
        {zoom_refusal(400, zoom_code::scope_missing_granular,
                      "Invalid access token, does not contain scopes:[user:write:user:admin]")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.stop.message().find("user:write") != std::string::npos);
}

TEST_CASE("row path: a 403 is a refusal for the account: stop 77") {
    row_path f;
    f.zoom.on("POST", users, {answer(403, {{"message", "Forbidden"}})});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.tally.count.rejected == 0);
}

TEST_CASE("row path: Zoom says zprov's body is malformed: zprov's own fault, stop 70") {
    row_path f;
    f.zoom.on("POST", users,
              {zoom_refusal(400, zoom_code::invalid_parameter,
                            "Request Body should be a valid JSON object.")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.stop.code() == exit_code::software);
    CHECK(f.stop.message().find("zprov's own fault") != std::string::npos);
    CHECK_FALSE(f.journal().rows.at("ada@example.com").last.has_value());
}

TEST_CASE("row path: no seats for a user type holds back that type only") {
    row_path f;
    f.zoom.on("POST", users, [](const seen_request& r) {
        if (nlohmann::json::parse(r.body)["user_info"]["type"] == 2)
            return zoom_refusal(400, zoom_code::licensed_seats_exhausted,
                                "No licenses are available");
        return user_created("id-basic");
    });
    auto licensed = f.row("lic1@example.com", 2);
    f.send(licensed);
    auto licensed_again = f.row("lic2@example.com", 2);
    f.send(licensed_again);
    auto basic = f.row("basic@example.com", 1);
    f.send(basic);
    CHECK(f.zoom.requests("POST", users).size() == 2); // the second Licensed row is held back
    CHECK(f.journal().rows.at("basic@example.com").last == outcome::created);
    CHECK(f.journal().rows.find("lic2@example.com") == f.journal().rows.end());
    CHECK(f.tally.count.pending == 2);
    CHECK(f.tally.seats.any());
    CHECK(f.tally.seats.message().find("Licensed") != std::string::npos);
    CHECK_FALSE(f.stop.stopping()); // the run ends 77 when the other rows are done
}
