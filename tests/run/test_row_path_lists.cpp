// The calls of a run's start in process (row_path_fixture.hpp): GET /groups and the list of
// pending users (GET /users?status=pending), paged, on the one request path.
#include "zprov/run/row_sender.hpp"
#include "zprov/run/steps/activations.hpp"
#include "zprov/run/steps/groups.hpp"

#include "support/row_path_fixture.hpp"

#include "zprov/zoom/codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace zprov::test;

namespace {
const std::string groups_path = "/v2/groups";
const std::string pending_path = "/v2/users?status=pending";

nlohmann::json one_groups_page(std::vector<std::pair<std::string, std::string>> groups,
                               const std::string& next) {
    nlohmann::json page{{"total_records", groups.size()}, {"next_page_token", next}};
    page["groups"] = nlohmann::json::array();
    for (const auto& [id, name] : groups)
        page["groups"].push_back({{"id", id}, {"name", name}});
    return page;
}

group_directory read_all(row_path& f) {
    auto connection = f.zoom.connect(f.api);
    return f.run(read_groups(f.requests, *connection));
}

// A user this journal created with `create` that it does not know to be active.
void pending_before(row_path& f, const std::string& email, const std::string& id) {
    auto item = f.row(email);
    f.created_before(item, id);
}
} // namespace

TEST_CASE("row path: GET /groups reads every page, in the Medium category's turns") {
    row_path f;
    f.zoom.on("GET", groups_path, [](const seen_request& r) {
        if (r.target.find("next_page_token=page%202") != std::string::npos)
            return answer(200, one_groups_page({{"g2", "Support"}}, ""));
        return answer(200, one_groups_page({{"g1", "Sales"}}, "page 2"));
    });
    const auto groups = read_all(f);
    CHECK(groups.size() == 2);
    std::vector<const account_group*> ties;
    const auto* support = groups.find("Support", ties);
    REQUIRE(support != nullptr);
    CHECK(support->id == "g2");
    const auto sent = f.zoom.requests("GET", groups_path);
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].target == "/v2/groups?page_size=300");
    CHECK(sent[1].target == "/v2/groups?page_size=300&next_page_token=page%202");
}

TEST_CASE("row path: each GET /groups is journaled as a Medium call before it is sent, for the "
          "next run's pacer") {
    row_path f;
    const auto medium = static_cast<std::size_t>(rate_category::medium);
    std::vector<std::size_t> journaled_at_send;
    f.zoom.on("GET", groups_path, [&](const seen_request& r) {
        journaled_at_send.push_back(f.journal().recent_sends_ms[medium].size());
        if (r.target.find("next_page_token=") != std::string::npos)
            return answer(200, one_groups_page({{"g2", "Support"}}, ""));
        return answer(200, one_groups_page({{"g1", "Sales"}}, "p2"));
    });
    const auto before = now_unix_ms();
    CHECK(read_all(f).size() == 2);
    CHECK(journaled_at_send == std::vector<std::size_t>{1, 2});
    const auto& sends = f.journal().recent_sends_ms[medium];
    REQUIRE(sends.size() == 2);
    CHECK(sends.front() >= before);
    CHECK(sends.back() <= now_unix_ms());
    CHECK(f.journal().recent_sends_ms[static_cast<std::size_t>(rate_category::light)].empty());
    CHECK(f.journal_text().find(R"("type":"call")") != std::string::npos);
}

TEST_CASE("row path: a sub-account's groups are read under /accounts/{id}/groups") {
    row_path f({.account = "sub-1"});
    f.zoom.on("GET", "/v2/accounts/sub-1/groups",
              {answer(200, one_groups_page({{"g1", "A"}}, ""))});
    CHECK(read_all(f).size() == 1);
    CHECK(f.zoom.unscripted() == 0);
}

TEST_CASE("row path: GET /groups refused for the account is a stop for the run (77)") {
    row_path f;
    f.zoom.on("GET", groups_path,
              {zoom_refusal(400, zoom_code::scope_missing, "Invalid access token, scopes")});
    try {
        read_all(f);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::no_permission);
        CHECK(std::string(e.what()).find("group:read:admin") != std::string::npos);
    }
}

TEST_CASE("row path: GET /groups failing after its retries ends the run (69)") {
    row_path f;
    f.zoom.on("GET", groups_path, {answer(500, {{"message", "oops"}})});
    try {
        read_all(f);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::unavailable);
        CHECK(std::string(e.what()).find("HTTP 500") != std::string::npos);
    }
    CHECK(f.zoom.requests("GET", groups_path).size() == 3);
}

TEST_CASE("row path: a per-second 429 to GET /groups is waited out, a daily one too") {
    row_path f;
    f.zoom.on("GET", groups_path,
              {zoom_refusal(429, 429, "Too many requests", {{"X-RateLimit-Type", "QPS"}}),
               zoom_refusal(429, 429, "Too many requests", {{"X-RateLimit-Type", "Daily-limit"}}),
               answer(200, one_groups_page({{"g1", "Sales"}}, ""))});
    CHECK(read_all(f).size() == 1);
    CHECK_FALSE(f.journal().pause.has_value()); // the daily cap counts creates only
}

TEST_CASE("row path: users the pending list no longer holds are asked about before anything "
          "is concluded: active, pending, expired (1120), gone (404/1001)") {
    row_path f;
    for (const auto* who : {"ada", "bob", "cy", "dee", "eve"})
        pending_before(f, std::string(who) + "@example.com", std::string("zid-") + who);
    // Zoom's list names pending users by email, without ids (and "Eve" in its own case).
    f.zoom.on("GET", pending_path, [](const seen_request& r) {
        if (r.target.find("next_page_token=") == std::string::npos)
            return answer(200, {{"users", nlohmann::json::array()},
                                {"total_records", 1},
                                {"next_page_token", "t2"}});
        return answer(200, {{"users", {{{"email", "Eve@Example.com"}, {"status", "pending"}}}},
                            {"next_page_token", ""}});
    });
    f.zoom.on(
        "GET", "/v2/users/zid-ada",
        {answer(200, {{"id", "zid-ada"}, {"email", "ada@example.com"}, {"status", "active"}})});
    f.zoom.on(
        "GET", "/v2/users/zid-bob",
        {answer(200, {{"id", "zid-bob"}, {"email", "bob@example.com"}, {"status", "pending"}})});
    f.zoom.on("GET", "/v2/users/zid-cy",
              {zoom_refusal(400, zoom_code::invitation_expired,
                            "A valid invitation to join the Zoom account wasn't found")});
    f.zoom.on("GET", "/v2/users/zid-dee",
              {zoom_refusal(404, zoom_code::user_not_found, "User does not exist")});
    const auto pending = f.run(check_activations(f.requests, f.zoom, f.records, f.syncer));
    REQUIRE(pending.has_value());
    CHECK(pending->holds("eve@example.com"));
    CHECK(f.zoom.requests("GET", pending_path).size() == 2);
    CHECK(f.zoom.requests("GET", "/v2/users/zid-eve").empty()); // listed: not asked about
    // Asked about by the id each one's create recorded, not by email.
    CHECK(f.zoom.requests("GET", "/v2/users/zid-ada").size() == 1);
    CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::active);
    CHECK(f.journal().rows.at("bob@example.com").zoom == zoom_state::pending);
    CHECK(f.journal().rows.at("cy@example.com").zoom == zoom_state::expired);
    CHECK(shown_state(f.journal().rows.at("cy@example.com")) == "expired");
    CHECK(f.journal().counts.expired == 1);
    CHECK(f.journal().rows.at("dee@example.com").zoom == zoom_state::gone);
    CHECK(f.journal().rows.at("eve@example.com").zoom == zoom_state::pending);
    CHECK(f.said_that("1 users accepted their invitation"));
    CHECK(f.said_that("1 invitations expired"));
}

TEST_CASE("row path: a pending list that cannot be read is said and skipped") {
    row_path f;
    pending_before(f, "ada@example.com", "zid-ada");
    f.zoom.on("GET", pending_path, {answer(200, {{"users", "not a list"}})});
    const auto pending = f.run(check_activations(f.requests, f.zoom, f.records, f.syncer));
    CHECK_FALSE(pending.has_value());
    CHECK(f.said_that("cannot list the account's pending users"));
    CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::pending);
}

TEST_CASE("row path: list answers that are not well-formed lists mark nobody active") {
    const std::vector<nlohmann::json> bodies{
        {{"page_size", 300}, {"total_records", 0}},            // no users member
        {{"code", 124}, {"message", "Invalid access token."}}, // an error's shape, 200
        {{"users", {{{"id", "x"}}}}, {"next_page_token", ""}}, // an entry with no email
    };
    for (const auto& body : bodies) {
        CAPTURE(body.dump());
        row_path f;
        pending_before(f, "ada@example.com", "zid-ada");
        f.zoom.on("GET", pending_path, {answer(200, body)});
        const auto pending = f.run(check_activations(f.requests, f.zoom, f.records, f.syncer));
        CHECK_FALSE(pending.has_value());
        CHECK(f.said_that("nobody is taken to have accepted"));
        CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::pending);
        CHECK(f.zoom.requests("GET", "/v2/users/").empty()); // nobody asked about on its word
    }
}

TEST_CASE("row path: a page that omits a user marks nobody active: the user is asked about") {
    row_path f;
    pending_before(f, "ada@example.com", "zid-ada");
    f.zoom.on("GET", pending_path,
              {answer(200, {{"users", nlohmann::json::array()},
                            {"total_records", 1},
                            {"next_page_token", ""}})});
    f.zoom.on(
        "GET", "/v2/users/zid-ada",
        {answer(200, {{"id", "zid-ada"}, {"email", "ada@example.com"}, {"status", "pending"}})});
    f.run(check_activations(f.requests, f.zoom, f.records, f.syncer));
    CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::pending);
    CHECK_FALSE(f.said_that("accepted their invitation"));
}

TEST_CASE("row path: a page token that repeats ends the listing with a warning") {
    row_path f;
    pending_before(f, "ada@example.com", "zid-ada");
    f.zoom.on("GET", pending_path, [](const seen_request&) {
        return answer(200, {{"users", nlohmann::json::array()}, {"next_page_token", "again"}});
    });
    const auto pending = f.run(check_activations(f.requests, f.zoom, f.records, f.syncer));
    CHECK_FALSE(pending.has_value());
    CHECK(f.zoom.requests("GET", pending_path).size() == 2);
    CHECK(f.said_that("a page token it had answered before"));
    CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::pending);
}

TEST_CASE("row path: a list that pages on beyond its own count ends with a warning") {
    row_path f;
    pending_before(f, "ada@example.com", "zid-ada");
    int page = 0;
    f.zoom.on("GET", pending_path, [&page](const seen_request&) {
        return answer(200, {{"users", nlohmann::json::array()},
                            {"total_records", 301}, // two pages of 300, and one spare
                            {"next_page_token", "p" + std::to_string(++page)}});
    });
    const auto pending = f.run(check_activations(f.requests, f.zoom, f.records, f.syncer));
    CHECK_FALSE(pending.has_value());
    CHECK(f.zoom.requests("GET", pending_path).size() == 3);
    CHECK(f.said_that("kept answering further pages after 3 pages"));
    CHECK(f.zoom.requests("GET", pending_path)[0].target.find("page_size=300") !=
          std::string::npos);
}

TEST_CASE("row path: no pending user in the journal: the list is not asked for") {
    row_path f;
    const auto pending = f.run(check_activations(f.requests, f.zoom, f.records, f.syncer));
    CHECK_FALSE(pending.has_value());
    CHECK(f.zoom.requests().empty());
}

TEST_CASE("row path: a page of GET /groups longer than a page can be is not asked again: 70") {
    row_path f;
    f.zoom.on("GET", groups_path, {failing(scripted_answer::fault::too_large)});
    try {
        read_all(f);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::software); // the same call would get the same answer
        CHECK(std::string(e.what()).find("the same call gets the same answer") !=
              std::string::npos);
    }
    const auto sent = f.zoom.requests("GET", groups_path);
    CHECK(sent.size() == 1); // not retried
}

TEST_CASE("row path: a create whose answer is too large may have acted: sent again, not failed") {
    row_path f;
    f.zoom.on("POST", "/v2/users",
              {failing(scripted_answer::fault::too_large), user_created("id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(item.doubt_since.has_value());
}
