// The row path in process (row_path_fixture.hpp): the steps after a create (a pending user's
// group by PATCH /users/{id}, an active user's by the group-member calls; profiles by PATCH)
// and re-invites (DELETE, then the create again).
#include "zprov/run/row_sender.hpp"

#include "support/row_path_fixture.hpp"

#include "zprov/zoom/codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace zprov::test;

namespace {
const std::string users = "/v2/users";
const std::string one_user = "/v2/users/"; // GET, PATCH, DELETE /users/{id}

work_item with_group(work_item item) {
    item.user.group = "Sales";
    item.user.group_id = "group-7";
    return item;
}
} // namespace

TEST_CASE("row path: a created row's group is set at once by PATCH /users/{id}") {
    row_path f;
    f.zoom.on("POST", users, {user_created("zid-1")});
    f.zoom.on("PATCH", one_user, {answer(204)});
    auto item = with_group(f.row("ada@example.com"));
    f.send(item);
    const auto patches = f.zoom.requests("PATCH", one_user);
    REQUIRE(patches.size() == 1);
    CHECK(patches[0].target == "/v2/users/zid-1");
    CHECK(nlohmann::json::parse(patches[0].body) == nlohmann::json{{"group_id", "group-7"}});
    CHECK(f.journal().steps.at("ada@example.com").group == step_status::done);
    CHECK(f.tally.count.requests == 2);
}

TEST_CASE("row path: a pending user's profile is deferred, an active user's goes with its group") {
    row_path pending_user;
    pending_user.zoom.on("POST", users, {user_created("zid-1")});
    pending_user.zoom.on("PATCH", one_user, {answer(204)});
    auto item = with_group(pending_user.row("ada@example.com"));
    item.user.profile[profile_index(field::job_title)] = "Engineer";
    pending_user.send(item);
    REQUIRE(pending_user.zoom.requests("PATCH", one_user).size() == 1);
    CHECK(nlohmann::json::parse(pending_user.zoom.requests("PATCH", one_user)[0].body)
              .count("job_title") == 0);
    CHECK(pending_user.journal().steps.at("ada@example.com").profile == step_status::deferred);

    // An active user joins its group by POST /groups/{groupId}/members (group_id in PATCH
    // /users/{id} is documented for pending users only); its profile goes by PATCH alone.
    row_path active_user({.action = create_action::auto_create, .daily_cap = 0});
    active_user.zoom.on("POST", users, {user_created("zid-2")});
    active_user.zoom.on("GET", one_user,
                        {answer(200, {{"id", "zid-2"},
                                      {"email", "bob@example.com"},
                                      {"status", "active"},
                                      {"group_ids", nlohmann::json::array()}})});
    active_user.zoom.on("POST", "/v2/groups/", {answer(201, {{"ids", "zid-2"}})});
    active_user.zoom.on("PATCH", one_user, {answer(204)});
    auto other = with_group(active_user.row("bob@example.com"));
    other.user.password = "Secret-Pass-1";
    other.user.profile[profile_index(field::job_title)] = "Engineer";
    active_user.send(other);
    const auto members = active_user.zoom.requests("POST", "/v2/groups/");
    REQUIRE(members.size() == 1);
    CHECK(members[0].target == "/v2/groups/group-7/members");
    CHECK(nlohmann::json::parse(members[0].body) ==
          nlohmann::json{{"members", {{{"id", "zid-2"}}}}});
    REQUIRE(active_user.zoom.requests("PATCH", one_user).size() == 1);
    CHECK(nlohmann::json::parse(active_user.zoom.requests("PATCH", one_user)[0].body) ==
          nlohmann::json{{"job_title", "Engineer"}});
    CHECK(active_user.journal().steps.at("bob@example.com").profile == step_status::done);
    CHECK(active_user.journal().steps.at("bob@example.com").group == step_status::done);
    CHECK(active_user.journal().steps.at("bob@example.com").group_id == "group-7");
}

namespace {
// An active user (custCreate) this journal put in group-7, its groups now as Zoom says.
row_path& active_in(row_path& f, const nlohmann::json& group_ids) {
    f.zoom.on("POST", users, {user_created("zid-3")});
    f.zoom.on("GET", one_user,
              {answer(200, {{"id", "zid-3"},
                            {"email", "cy@example.com"},
                            {"status", "active"},
                            {"group_ids", nlohmann::json::array({"group-7"})}}),
               answer(200, {{"id", "zid-3"},
                            {"email", "cy@example.com"},
                            {"status", "active"},
                            {"group_ids", group_ids}})});
    f.zoom.on("POST", "/v2/groups/", {answer(201, {{"ids", "zid-3"}})});
    f.zoom.on("PATCH", "/v2/groups/", {answer(204)});
    auto item = with_group(f.row("cy@example.com"));
    f.send(item); // already in group-7 by Zoom's first answer: nothing sent but the GET
    CHECK(f.zoom.requests("POST", "/v2/groups/").empty());
    CHECK(f.journal().steps.at("cy@example.com").group == step_status::done);
    return f;
}
} // namespace

TEST_CASE("row path: HR moves an active user to another group: move from the group this "
          "journal set (PATCH /groups/{from}/members/{id}, action move)") {
    row_path f({.action = create_action::cust_create, .daily_cap = 0});
    active_in(f, nlohmann::json::array({"group-7", "group-x"}));
    auto moved = with_group(f.row("cy@example.com"));
    moved.user.group = "Legal";
    moved.user.group_id = "group-9";
    moved.steps_only = true;
    f.send(moved);
    const auto patches = f.zoom.requests("PATCH", "/v2/groups/");
    REQUIRE(patches.size() == 1);
    CHECK(patches[0].target == "/v2/groups/group-7/members/zid-3");
    CHECK(nlohmann::json::parse(patches[0].body) ==
          nlohmann::json{{"action", "move"}, {"target_group_id", "group-9"}});
    CHECK(f.zoom.requests("POST", "/v2/groups/").empty());
    CHECK(f.zoom.requests("PATCH", one_user).empty()); // no group_id to an active user
    CHECK(f.journal().steps.at("cy@example.com").group_id == "group-9");
}

TEST_CASE("row path: HR moves an active user no longer in this journal's group: added to the "
          "new one (POST /groups/{groupId}/members)") {
    row_path f({.action = create_action::cust_create, .daily_cap = 0});
    active_in(f, nlohmann::json::array({"group-x"}));
    auto moved = with_group(f.row("cy@example.com"));
    moved.user.group_id = "group-9";
    moved.steps_only = true;
    f.send(moved);
    CHECK(f.zoom.requests("PATCH", "/v2/groups/").empty());
    const auto posts = f.zoom.requests("POST", "/v2/groups/");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].target == "/v2/groups/group-9/members");
}

TEST_CASE("row path: a PATCH answered 404/1001: the user was deleted, journaled gone, said") {
    row_path f;
    f.zoom.on("POST", users, {user_created("zid-1")});
    f.zoom.on("PATCH", one_user, {zoom_refusal(404, zoom_code::user_not_found, "User not exist")});
    f.zoom.on("GET", one_user, {zoom_refusal(404, zoom_code::user_not_found, "User not exist")});
    auto item = with_group(f.row("ada@example.com"));
    f.send(item);
    CHECK(f.journal().steps.at("ada@example.com").zoom == zoom_state::gone);
    CHECK(f.said_that("the user no longer exists in Zoom"));
    CHECK(f.zoom.requests("PATCH", one_user).size() == 4); // created seconds ago: sent again
    CHECK(f.zoom.requests("GET", one_user).size() == 1);   // and a lookup agrees
}

TEST_CASE("row path: a PATCH refused for the account stops the run (77)") {
    row_path f;
    f.zoom.on("POST", users, {user_created("zid-1")});
    f.zoom.on("PATCH", one_user, {zoom_refusal(400, zoom_code::no_privilege, "No privilege.")});
    auto item = with_group(f.row("ada@example.com"));
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::created);
    CHECK(f.journal().steps.at("ada@example.com").group == step_status::owed);
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.stop.message().find("Zoom refused a group or profile step") != std::string::npos);
}

TEST_CASE("row path: a PATCH failing after its retries is owed to the next run") {
    row_path f;
    f.zoom.on("POST", users, {user_created("zid-1")});
    f.zoom.on("PATCH", one_user, {answer(502, {{"message", "Bad gateway"}})});
    auto item = with_group(f.row("ada@example.com"));
    f.send(item);
    CHECK(f.zoom.requests("PATCH", one_user).size() == 3);
    CHECK(f.journal().steps.at("ada@example.com").group == step_status::owed);
    CHECK_FALSE(f.stop.stopping());
}

TEST_CASE("row path: a row created without a group that now has one: looked up, then PATCHed") {
    row_path f;
    auto before = f.row("ada@example.com");
    f.created_before(before, ""); // an id the journal never learnt
    f.zoom.on("GET", one_user,
              {answer(200, {{"id", "zid-9"},
                            {"email", "ada@example.com"},
                            {"status", "active"},
                            {"user_created_at", "2024-01-01T00:00:00Z"},
                            {"group_ids", nlohmann::json::array()}})});
    f.zoom.on("POST", "/v2/groups/", {answer(201, {{"ids", "zid-9"}})});
    auto item = with_group(f.row("ada@example.com"));
    item.steps_only = true;
    f.send(item);
    CHECK(f.zoom.requests("POST", users).empty());
    CHECK(f.zoom.requests("GET", one_user).size() == 2); // its id, then its groups
    const auto posts = f.zoom.requests("POST", "/v2/groups/");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].target == "/v2/groups/group-7/members");
    CHECK(nlohmann::json::parse(posts[0].body)["members"][0]["id"] == "zid-9");
    CHECK(f.journal().steps.at("ada@example.com").group == step_status::done);
}

namespace {
// GET /users/{id}'s answer for the user `id` with `email` in `status`.
scripted_answer zoom_user(const std::string& id, const std::string& email,
                          const std::string& status) {
    return answer(200, {{"id", id}, {"email", email}, {"status", status}});
}

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

TEST_CASE("row path: a 404/1001 to the PATCH right after the create is sent again, the user is "
          "gone only when a later lookup agrees") {
    const auto not_there = zoom_refusal(404, zoom_code::user_not_found, "User does not exist");
    SUBCASE("Zoom's store catches up: the PATCH goes through") {
        row_path f;
        f.zoom.on("POST", users, {user_created("zid-1")});
        f.zoom.on("PATCH", one_user, {not_there, answer(204)});
        auto item = with_group(f.row("ada@example.com"));
        f.send(item);
        CHECK(f.zoom.requests("PATCH", one_user).size() == 2);
        CHECK(f.journal().steps.at("ada@example.com").group == step_status::done);
        CHECK(f.journal().rows.at("ada@example.com").zoom != zoom_state::gone);
    }
    SUBCASE("the PATCH keeps answering 404 but a lookup finds the user: owed, not gone") {
        row_path f;
        f.zoom.on("POST", users, {user_created("zid-1")});
        f.zoom.on("PATCH", one_user, {not_there});
        f.zoom.on("GET", one_user, {zoom_user("zid-1", "ada@example.com", "pending")});
        auto item = with_group(f.row("ada@example.com"));
        f.send(item);
        CHECK(f.zoom.requests("PATCH", one_user).size() == 4);
        CHECK(f.journal().steps.at("ada@example.com").group == step_status::owed);
        CHECK(f.journal().rows.at("ada@example.com").zoom != zoom_state::gone);
    }
    SUBCASE("the lookup agrees: gone") {
        row_path f;
        f.zoom.on("POST", users, {user_created("zid-1")});
        f.zoom.on("PATCH", one_user, {not_there});
        f.zoom.on("GET", one_user, {not_there});
        auto item = with_group(f.row("ada@example.com"));
        f.send(item);
        CHECK(f.journal().rows.at("ada@example.com").zoom == zoom_state::gone);
        CHECK(f.said_that("the user no longer exists in Zoom"));
    }
}
