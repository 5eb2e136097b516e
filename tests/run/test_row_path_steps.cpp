// The row path in process (row_path_fixture.hpp): the steps after a create (a pending user's
// group by PATCH /users/{id}, an active user's by the group-member calls; profiles by PATCH).
// Re-invites are in test_row_path_reinvites.cpp.
#include "zprov/run/row_sender.hpp"

#include "run/row_path_steps.hpp"
#include "support/row_path_fixture.hpp"

#include "zprov/zoom/codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace zprov::test;
using namespace zprov::test::steps;

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
