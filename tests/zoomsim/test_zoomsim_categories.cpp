// Unit tests of zoomsim's per-category limits, group members and deletes, without sockets
// on a fake clock: Light and Medium each in their own one-second window at the plan's
// rates, POST /groups/{id}/members, DELETE /users/{id} and the same calls in a sub-account.
#include "support/in_process_sim.hpp"
#include "zoomsim/simulator.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace zoomsim;
using namespace zoomsim::testing;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("zoomsim limits: Light and Medium each have the plan's rate in their own window") {
    for (auto [plan, light, medium] :
         {std::tuple{zprov::plan::free, 4, 2}, std::tuple{zprov::plan::pro, 30, 20},
          std::tuple{zprov::plan::business, 80, 60}}) {
        sim_options options;
        options.plan = plan;
        options.groups = {"Sales"};
        in_process_sim f(options);
        int lists = 0, groups = 0, lookups = 0;
        for (int i = 0; i < 100; ++i) {
            lists += f.get("/v2/groups").status == 200;
            groups += f.call("POST", "/v2/groups/none/members", "{}").status != 429;
            lookups += f.get("/v2/users/nobody@example.com").status == 404;
        }
        // GET /groups and POST /groups/{id}/members share Medium; Medium spent nothing of
        // Light's.
        CHECK(lists + groups == medium);
        CHECK(lookups == light);
        auto stats = f.stats();
        CHECK(stats["per_second_limits"] == json{{"Light", light}, {"Medium", medium}});
        CHECK(stats["rate_limited_qps_by_category"] ==
              json{{"Light", 100 - light}, {"Medium", 200 - medium}});
        CHECK(stats["max_in_one_second_by_category"] == json{{"Light", 100}, {"Medium", 200}});
    }
}

TEST_CASE("zoomsim limits: a Medium 429 says QPS and Medium, the window slides") {
    sim_options options = options_with(1000, 0);
    options.medium_qps = 2;
    in_process_sim f(options);
    CHECK(f.get("/v2/groups").status == 200);
    f.time->advance(500ms);
    CHECK(f.get("/v2/groups").status == 200);
    auto limited = f.get("/v2/accounts/any/groups"); // a sub-account's list is Medium too
    CHECK(limited.status == 429);
    CHECK(header(limited, "X-RateLimit-Category") == "Medium");
    CHECK(header(limited, "X-RateLimit-Type") == "QPS");
    CHECK(f.get("/v2/users/x@example.com").status == 404); // Light is not spent
    f.time->advance(500ms);                                // the first list left the window
    CHECK(f.get("/v2/groups").status == 200);
    CHECK(f.get("/v2/groups").status == 429);

    auto calls = json::parse(f.get("/_sim/calls").body)["arrivals_ms"];
    CHECK(calls["Medium"] == json::array({0, 500, 500, 1000, 1000}));
    CHECK(calls["Light"] == json::array({500}));
}

TEST_CASE("zoomsim: POST /groups/{id}/members adds users by id or email, at most 30 a call") {
    sim_options options = options_with(1000, 0);
    options.groups = {"Sales", "Support"};
    in_process_sim f(options);
    auto groups = json::parse(f.get("/v2/groups").body)["groups"];
    const auto sales = groups[0]["id"].get<std::string>();
    const auto a = f.created_id("a@x.example.com", "create");
    f.created_id("b@x.example.com", "custCreate");
    const auto members = "/v2/groups/" + sales + "/members";

    auto added = f.call("POST", members,
                        R"({"members":[{"id":")" + a + R"("},{"email":"B@x.example.com"}]})");
    CHECK(added.status == 201);
    auto body = json::parse(added.body);
    CHECK(body["ids"].get<std::string>().find(a) != std::string::npos);
    CHECK(body.contains("added_at"));
    CHECK(json::parse(f.get("/v2/users/a@x.example.com").body)["group_ids"] ==
          json::array({sales}));
    CHECK(json::parse(f.get("/v2/groups").body)["groups"][0]["total_members"] == 2);

    json many = {{"members", json::array()}};
    for (int i = 0; i < 31; ++i)
        many["members"].push_back({{"email", "b@x.example.com"}});
    CHECK(f.call("POST", members, many.dump()).status == 400);
    CHECK(f.call("POST", members, R"({"members":[]})").status == 400);
    CHECK(f.call("POST", members, R"({"members":[{"name":"x"}]})").status == 400);
    // A member that is no user of the account is left out: `ids` names those added.
    auto unknown_user = f.call("POST", members, R"({"members":[{"email":"no@x.example.com"}]})");
    CHECK(unknown_user.status == 201);
    CHECK(json::parse(unknown_user.body)["ids"] == "");
    auto unknown_group = f.call("POST", "/v2/groups/nope/members", R"({"members":[]})");
    CHECK(unknown_group.status == 404);
    CHECK(json::parse(unknown_group.body)["code"] == 4130);
    auto stats = f.stats();
    CHECK(stats["member_calls"] == 2);
    CHECK(stats["members_added"] == 2);
}

TEST_CASE("zoomsim: DELETE /users/{id} disassociates by default, a pending user only so") {
    in_process_sim f(options_with(1000, 0));
    const auto pending = f.created_id("p@x.example.com", "create");
    const auto active = f.created_id("a@x.example.com", "custCreate");
    const auto gone = f.created_id("g@x.example.com", "custCreate");

    CHECK(f.call("DELETE", "/v2/users/" + pending + "?action=delete").status == 400);
    CHECK(f.call("DELETE", "/v2/users/" + pending + "?action=remove").status == 400);
    CHECK(f.call("DELETE", "/v2/users/" + pending + "?action=disassociate").status == 204);
    CHECK(f.get("/v2/users/p@x.example.com").status == 404);
    // The invitation is withdrawn: the address can be invited again.
    CHECK(f.post_user("p@x.example.com").status == 201);

    CHECK(f.call("DELETE", "/v2/users/" + active).status == 204); // disassociate
    CHECK(f.get("/v2/users/" + active).status == 404);
    // A disassociated active user keeps a Zoom account of their own.
    CHECK(f.post_user("a@x.example.com").status == 409);

    CHECK(f.call("DELETE", "/v2/users/" + gone + "?action=delete").status == 204);
    CHECK(f.post_user("g@x.example.com").status == 201);
    auto missing = f.call("DELETE", "/v2/users/" + gone + "?action=delete");
    CHECK(missing.status == 404);
    CHECK(json::parse(missing.body)["code"] == 1001);
    CHECK(f.stats()["deletes"] == 3);
}

TEST_CASE("zoomsim: a sub-account has its own groups, and PATCH and DELETE its own users") {
    sim_options options = options_with(1000, 0);
    options.groups = {"Sales"};
    options.sub_accounts = {"S1"};
    options.scopes = "user:master group:master user:write:admin group:read:admin";
    in_process_sim f(options);
    const auto own = json::parse(f.get("/v2/groups").body)["groups"][0]["id"].get<std::string>();
    auto listed = json::parse(f.get("/v2/accounts/S1/groups").body)["groups"];
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["name"] == "Sales");
    const auto sub = listed[0]["id"].get<std::string>();
    CHECK(sub != own);

    f.body = R"({"action":"custCreate","user_info":{"email":"s@x.example.com","type":1}})";
    auto made =
        f.sim->handle({"POST", "/v2/accounts/S1/users", "Bearer T", "application/json", f.body});
    REQUIRE(made.status == 201);
    const auto id = json::parse(made.body)["id"].get<std::string>();
    // The user is not the account's own, and the account's group is not the sub-account's.
    CHECK(f.call("PATCH", "/v2/users/" + id, R"({"dept":"Ops"})").status == 404);
    const auto member = R"({"members":[{"id":")" + id + R"("}]})";
    CHECK(f.call("POST", "/v2/accounts/S1/groups/" + own + "/members", member).status == 404);
    CHECK(f.call("POST", "/v2/accounts/S1/groups/" + sub + "/members", member).status == 201);
    CHECK(f.call("PATCH", "/v2/accounts/S1/users/" + id, R"({"dept":"Ops"})").status == 204);
    auto users = json::parse(f.get("/_sim/users").body);
    CHECK(users["users"].empty());
    REQUIRE(users["sub_accounts"]["S1"].size() == 1);
    CHECK(users["sub_accounts"]["S1"][0]["group"] == "Sales");
    CHECK(users["sub_accounts"]["S1"][0]["profile"] == json{{"dept", "Ops"}});
    CHECK(f.get("/v2/accounts/S2/groups").status == 400); // not a sub-account
    CHECK(f.call("DELETE", "/v2/accounts/S1/users/" + id).status == 204);
    CHECK(f.stats()["sub_account_users"]["S1"].empty());
}
