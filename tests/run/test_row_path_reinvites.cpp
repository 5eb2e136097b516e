// The row path in process (row_path_fixture.hpp): re-invites (a GET just before, the DELETE,
// then the create again), with their lost answers, 429s and the day's budget.
#include "zprov/run/row_sender.hpp"

#include "run/row_path_steps.hpp"
#include "support/row_path_fixture.hpp"

#include "zprov/zoom/codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace zprov::test;
using namespace zprov::test::steps;

namespace {
// A re-invite of ada@example.com, whose create an earlier run journaled with zid-old.
work_item stale_ada(row_path& f) {
    auto before = f.row("ada@example.com");
    f.created_before(before, "zid-old");
    auto item = f.row("ada@example.com");
    item.reinvite_id = "zid-old";
    item.reinvite_listed = true;
    item.reinvite_wanted = true;
    return item;
}
} // namespace

TEST_CASE("row path: a re-invite deletes the pending user, then creates the row again") {
    row_path f;
    auto before = f.row("ada@example.com");
    f.created_before(before, "zid-old");
    f.zoom.on("GET", one_user, {zoom_user("zid-old", "Ada@example.com", "pending")});
    f.zoom.on("DELETE", one_user, {answer(204)});
    f.zoom.on("POST", users, {user_created("zid-new")});
    auto item = f.row("ada@example.com");
    item.reinvite_id = "zid-old";
    item.reinvite_listed = true;
    f.send(item);
    const auto deletes = f.zoom.requests("DELETE", one_user);
    REQUIRE(deletes.size() == 1);
    CHECK(deletes[0].target == "/v2/users/zid-old?action=disassociate");
    REQUIRE(f.zoom.requests().size() == 3);
    CHECK(f.zoom.requests()[0].target == "/v2/users/zid-old"); // the GET just before
    CHECK(f.zoom.requests()[2].method == "POST");              // after the DELETE
    CHECK(f.tally.count.requests == 3);
    CHECK(f.journal().reinvited == 1);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.journal_text().find(R"("id":"zid-new")") != std::string::npos);
}

TEST_CASE("row path: a re-invite's DELETE answered 404/1001: gone, not created again") {
    row_path f;
    auto before = f.row("ada@example.com");
    f.created_before(before, "zid-old");
    f.zoom.on("GET", one_user, {zoom_user("zid-old", "ada@example.com", "pending")});
    f.zoom.on("DELETE", one_user, {zoom_refusal(404, zoom_code::user_not_found, "User not exist")});
    auto item = f.row("ada@example.com");
    item.reinvite_id = "zid-old";
    item.reinvite_listed = true;
    f.send(item);
    CHECK(f.zoom.requests("POST", users).empty());
    CHECK(f.journal_text().find(R"("phase":"gone")") != std::string::npos);
    CHECK(f.said_that("the user no longer exists in Zoom (deleted since)"));
}

TEST_CASE("row path: a re-invite's DELETE in doubt, user no longer in Zoom: it acted, created") {
    row_path f;
    auto before = f.row("ada@example.com");
    f.created_before(before, "zid-old");
    f.records.reinvite(before.key, "zid-old", reinvite_phase::intent); // a kill after it
    f.zoom.on("GET", one_user, {zoom_refusal(404, zoom_code::user_not_found, "User not exist")});
    f.zoom.on("POST", users, {user_created("zid-new")});
    auto item = f.row("ada@example.com");
    item.reinvite_id = "zid-old";
    item.reinvite_listed = false; // the pending list does not hold it any more
    f.send(item);
    CHECK(f.zoom.requests("DELETE", one_user).empty()); // never twice
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.journal().deletes_in_doubt.empty());
}

TEST_CASE("row path: a re-invite's DELETE in doubt, the user active now: left alone") {
    row_path f;
    auto before = f.row("ada@example.com");
    f.created_before(before, "zid-old");
    f.records.reinvite(before.key, "zid-old", reinvite_phase::intent);
    f.zoom.on("GET", one_user,
              {answer(200, {{"id", "zid-old"},
                            {"email", "ada@example.com"},
                            {"status", "active"},
                            {"created_at", "2024-01-01T00:00:00Z"}})});
    auto item = f.row("ada@example.com");
    item.reinvite_id = "zid-old";
    item.reinvite_wanted = true;
    f.send(item);
    CHECK(f.zoom.requests("DELETE", one_user).empty());
    CHECK(f.zoom.requests("POST", users).empty());
    CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::active);
}

TEST_CASE("row path: a re-invite's DELETE whose answer is lost stays in doubt for the next run") {
    row_path f;
    auto before = f.row("ada@example.com");
    f.created_before(before, "zid-old");
    f.zoom.on("GET", one_user,
              {zoom_user("zid-old", "ada@example.com", "pending"),
               failing(scripted_answer::fault::unreachable)});
    f.zoom.on("DELETE", one_user, {failing(scripted_answer::fault::lost)});
    auto item = f.row("ada@example.com");
    item.reinvite_id = "zid-old";
    item.reinvite_listed = true;
    f.send(item);
    CHECK(f.zoom.requests("POST", users).empty());
    CHECK(f.zoom.requests("DELETE", one_user).size() == 1); // never resent blindly
    CHECK(f.journal().deletes_in_doubt.contains("ada@example.com"));
    CHECK(f.tally.count.reinvites_failed == 1);
    CHECK(f.said_that("the DELETE of the stale invitation is in doubt"));
}

TEST_CASE("row path: a re-invite's GET just before the DELETE says active: not deleted") {
    row_path f;
    auto item = stale_ada(f);
    f.zoom.on("GET", one_user, {zoom_user("zid-old", "ada@example.com", "active")});
    f.send(item);
    CHECK(f.zoom.requests("DELETE", one_user).empty());
    CHECK(f.zoom.requests("POST", users).empty());
    CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::active);
    CHECK(f.day.reserved == 0); // the reserved create is given back
}

TEST_CASE("row path: a re-invite whose id answers for another address, or 404/1001, is not "
          "deleted nor created") {
    for (const auto& got :
         {zoom_user("zid-old", "someone.else@example.com", "pending"),
          zoom_refusal(404, zoom_code::user_not_found, "User does not exist: zid-old")}) {
        row_path f;
        auto item = stale_ada(f);
        f.zoom.on("GET", one_user, {got});
        f.send(item);
        CHECK(f.zoom.requests("DELETE", one_user).empty());
        CHECK(f.zoom.requests("POST", users).empty());
        CHECK(f.day.reserved == 0);
    }
}

TEST_CASE("row path: a re-invite's DELETE that acts and answers 429: a GET finds it gone, the row "
          "is created again once") {
    row_path f;
    auto item = stale_ada(f);
    f.zoom.on("GET", one_user,
              {zoom_user("zid-old", "ada@example.com", "pending"),
               zoom_refusal(404, zoom_code::user_not_found, "User does not exist: zid-old")});
    f.zoom.on("DELETE", one_user,
              {zoom_refusal(429, 429,
                            "Too many concurrent requests. A request to disassociate this user "
                            "has already been made.")});
    f.zoom.on("POST", users, {user_created("zid-new")});
    f.send(item);
    CHECK(f.zoom.requests("DELETE", one_user).size() == 1);
    CHECK(f.zoom.requests("POST", users).size() == 1);
    CHECK(f.journal().reinvited == 1);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.tally.count.requests == 4); // GET, DELETE, GET, POST
}

TEST_CASE("row path: a re-invite's DELETE answered 429 that did not act: a new GET, then the "
          "DELETE again") {
    row_path f;
    auto item = stale_ada(f);
    f.zoom.on("GET", one_user, {zoom_user("zid-old", "ada@example.com", "pending")});
    f.zoom.on("DELETE", one_user, {zoom_refusal(429, 429, "Too many requests"), answer(204)});
    f.zoom.on("POST", users, {user_created("zid-new")});
    f.send(item);
    CHECK(f.zoom.requests("DELETE", one_user).size() == 2);
    CHECK(f.zoom.requests("POST", users).size() == 1);
    CHECK(f.journal().reinvited == 1);
    // Each DELETE came right after a GET that said pending.
    const auto all = f.zoom.requests();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].method == "DELETE") {
            REQUIRE(i > 0);
            CHECK(all[i - 1].method == "GET");
        }
}

TEST_CASE("row path: a re-invite whose GET answers 1120 (expired): no DELETE, journaled "
          "expired and created again") {
    row_path f;
    auto item = stale_ada(f);
    f.zoom.on("GET", one_user,
              {zoom_refusal(400, zoom_code::invitation_expired, "Invitation expired")});
    f.zoom.on("POST", users, {user_created("zid-new")});
    f.send(item);
    CHECK(f.zoom.requests("DELETE", one_user).empty());
    CHECK(f.zoom.requests("POST", users).size() == 1);
    CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::pending);
    CHECK(f.journal_text().find(R"("status":"expired")") != std::string::npos);
    CHECK(f.day.reserved == 0);
}

TEST_CASE("row path: with one create left, a re-invite reserves it before its DELETE: a new "
          "row sent meanwhile finds the day spent") {
    row_path f({.daily_cap = 2}); // the earlier create of the stale user counts today
    auto item = stale_ada(f);
    REQUIRE(reserve_create(f.context, item));
    CHECK(look_budget(f.context) == budget_state::spent);
    CHECK(look_budget(f.context, 1) == budget_state::open);
    auto other = f.row("bob@example.com");
    f.zoom.on("POST", users, {user_created("zid-bob")});
    f.send(other);
    CHECK(f.zoom.requests("POST", users).empty());
    release_create(f.context, item);
    CHECK(f.day.reserved == 0);
}

TEST_CASE("row path: a re-create answered 409 whose lookup names the id just deleted waits for "
          "the DELETE to land, then creates the row again") {
    row_path f;
    auto item = stale_ada(f);
    f.zoom.on("GET", "/v2/users/zid-old",
              {zoom_user("zid-old", "ada@example.com", "pending"),
               zoom_user("zid-old", "ada@example.com", "pending"),
               zoom_refusal(404, zoom_code::user_not_found, "User does not exist: zid-old")});
    f.zoom.on("GET", "/v2/users/ada", {zoom_user("zid-old", "ada@example.com", "pending")});
    f.zoom.on("DELETE", one_user, {answer(204)});
    f.zoom.on("POST", users,
              {zoom_refusal(409, 1005, "User already in the account: ada@example.com"),
               user_created("zid-new")});
    f.send(item);
    CHECK(f.zoom.requests("POST", users).size() == 2);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.journal_text().find(R"("id":"zid-new")") != std::string::npos);
    CHECK(f.journal().reinvite_deleted.empty());
}

TEST_CASE("row path: no create left in the day's budget: the stale user is not deleted") {
    row_path f({.daily_cap = 1});
    f.zoom.on("POST", users, {user_created("zid-1")});
    auto first = f.row("bob@example.com");
    f.send(first); // spends the day's one create
    auto before = f.row("ada@example.com");
    f.created_before(before, "zid-old");
    auto item = f.row("ada@example.com");
    item.reinvite_id = "zid-old";
    item.reinvite_listed = true;
    f.send(item);
    CHECK(f.zoom.requests("DELETE", one_user).empty());
    CHECK(f.zoom.requests("POST", users).size() == 1);
}
