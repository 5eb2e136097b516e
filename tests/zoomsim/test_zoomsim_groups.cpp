// Unit tests of zoomsim's groups as Zoom's OpenAPI documents them, without sockets: additive
// membership whose first group is the primary, POST /groups/{id}/members by id or email,
// PATCH /groups/{id}/members/{id} move and set_primary (404/4130, 404/4131), group_id in
// PATCH /users/{id} for pending users and (by option) for active ones, and the scopes every
// call needs, in the own and the :master forms.
#include "support/in_process_sim.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>

using namespace zoomsim;
using namespace zoomsim::testing;
using nlohmann::json;

namespace {
struct grouped {
    in_process_sim f;
    std::map<std::string, std::string> ids; // group name -> id

    explicit grouped(sim_options options) : f(with_groups(std::move(options))) {
        const auto listed = json::parse(f.get("/v2/groups").body); // outlives the loop
        for (const auto& g : listed["groups"])
            ids[g["name"].get<std::string>()] = g["id"].get<std::string>();
    }
    static sim_options with_groups(sim_options options) {
        options.groups = {"Sales", "Support", "Ops"};
        return options;
    }
    sim_reply add(const std::string& group, const json& members) {
        return f.call("POST", "/v2/groups/" + ids[group] + "/members",
                      json{{"members", members}}.dump());
    }
    sim_reply member(const std::string& group, const std::string& user, const json& body) {
        return f.call("PATCH", "/v2/groups/" + ids[group] + "/members/" + user, body.dump());
    }
    sim_reply set_group(const std::string& user, const std::string& group) {
        return f.call("PATCH", "/v2/users/" + user, json{{"group_id", ids[group]}}.dump());
    }
    // The user's groups by name, the primary first (GET /users/{id} and /_sim/users agree).
    std::vector<std::string> groups_of(const std::string& user) {
        auto doc = json::parse(f.get("/v2/users/" + user).body);
        std::vector<std::string> names;
        for (const auto& id : doc["group_ids"])
            for (const auto& [name, known] : ids)
                if (known == id)
                    names.push_back(name);
        const auto users = json::parse(f.get("/_sim/users").body);
        for (const auto& u : users["users"])
            if (u["id"] == doc["id"]) {
                CHECK(u["groups"] == json(names));
                CHECK(u["primary_group"] == (names.empty() ? "" : names.front()));
            }
        return names;
    }
};

int code_of(const sim_reply& reply) {
    return json::parse(reply.body)["code"].get<int>();
}
} // namespace

TEST_CASE("zoomsim groups: membership is additive, the first group the primary, move and "
          "set_primary change it") {
    grouped g(options_with(1000, 1000));
    const auto a = g.f.created_id("a@x.example.com", "custCreate");
    const auto b = g.f.created_id("b@x.example.com", "custCreate");
    auto added = g.add("Support", json::array({{{"id", a}}, {{"email", "B@x.example.com"}}}));
    REQUIRE(added.status == 201);
    CHECK(json::parse(added.body)["ids"] == a + "," + b);
    CHECK(g.add("Sales", json::array({{{"id", a}}})).status == 201);
    CHECK(g.groups_of(a) == std::vector<std::string>{"Support", "Sales"});
    auto listed = json::parse(g.f.get("/v2/groups").body)["groups"];
    CHECK(listed[0]["total_members"] == 1); // Sales
    CHECK(listed[1]["total_members"] == 2); // Support

    CHECK(g.member("Sales", a, {{"action", "set_primary"}}).status == 204);
    CHECK(g.groups_of(a) == std::vector<std::string>{"Sales", "Support"});
    CHECK(g.member("Sales", a, {{"action", "move"}, {"target_group_id", g.ids["Ops"]}}).status ==
          204);
    CHECK(g.groups_of(a) == std::vector<std::string>{"Ops", "Support"});
    // Moved into a group it is already in: it leaves the one it was moved from.
    CHECK(g.member("Ops", a, {{"action", "move"}, {"target_group_id", g.ids["Support"]}}).status ==
          204);
    CHECK(g.groups_of(a) == std::vector<std::string>{"Support"});

    auto not_member = g.member("Sales", b, {{"action", "set_primary"}});
    CHECK(not_member.status == 404);
    CHECK(code_of(not_member) == 4131);
    auto no_group = g.f.call("PATCH", "/v2/groups/nope/members/" + b, R"({"action":"move"})");
    CHECK(no_group.status == 404);
    CHECK(code_of(no_group) == 4130);
    auto no_target = g.member("Support", b, {{"action", "move"}});
    CHECK(no_target.status == 400);
    CHECK(code_of(no_target) == 300);
    auto bad_target = g.member("Support", b, {{"action", "move"}, {"target_group_id", "nope"}});
    CHECK(code_of(bad_target) == 4130);
    CHECK(g.member("Support", b, {{"action", "promote"}}).status == 400);
    auto stats = g.f.stats();
    CHECK(stats["member_moves"] == 2);
    CHECK(stats["primary_sets"] == 1);
    CHECK(stats["members_added"] == 3);
}

TEST_CASE("zoomsim groups: group_id adds a pending user to a group, for an active user it does "
          "nothing by default, or replaces or adds by option") {
    grouped g(options_with(1000, 1000));
    const auto p = g.f.created_id("p@x.example.com");
    CHECK(g.set_group(p, "Sales").status == 204);
    CHECK(g.set_group(p, "Support").status == 204);
    CHECK(g.groups_of(p) == std::vector<std::string>{"Sales", "Support"});

    const auto a = g.f.created_id("a@x.example.com", "custCreate");
    CHECK(g.set_group(a, "Sales").status == 204); // answered with success ...
    CHECK(g.groups_of(a).empty());                // ... and nothing done
    CHECK(g.f.stats()["group_id_ignored"] == 1);
    CHECK(g.f.stats()["groups_set"] == 2);
    auto unknown = g.f.call("PATCH", "/v2/users/" + a, R"({"group_id":"nope"})");
    CHECK(unknown.status == 400);
    CHECK(code_of(unknown) == 300);

    for (auto [rule, expected] :
         {std::pair{active_group_rule::replace, std::vector<std::string>{"Support"}},
          std::pair{active_group_rule::add, std::vector<std::string>{"Sales", "Support"}}}) {
        sim_options options = options_with(1000, 1000);
        options.active_group_id = rule;
        grouped h(options);
        const auto u = h.f.created_id("a@x.example.com", "custCreate");
        CHECK(h.set_group(u, "Sales").status == 204);
        CHECK(h.set_group(u, "Support").status == 204);
        CHECK(h.groups_of(u) == expected);
    }
}

TEST_CASE("zoomsim scopes: every call needs one of its scopes, a sub-account's the :master "
          "forms") {
    sim_options options = options_with(1000, 1000);
    options.groups = {"Sales"};
    options.sub_accounts = {"S1"};
    // A granular app that may create and look up users, and nothing else.
    options.scopes = "user:write:user:admin user:read:user:admin";
    in_process_sim f(options);
    const auto id = f.created_id("p@x.example.com");
    CHECK(f.get("/v2/users/" + id).status == 200);
    for (auto [method, target, scope] :
         {std::tuple{"PATCH", "/v2/users/" + id, "user:update:user:admin"},
          std::tuple{"DELETE", "/v2/users/" + id, "user:delete:user:admin"},
          std::tuple{"GET", std::string("/v2/users?status=pending"), "user:read:list_users:admin"},
          std::tuple{"GET", std::string("/v2/groups"), "group:read:list_groups:admin"},
          std::tuple{"POST", std::string("/v2/groups/g/members"), "group:write:member:admin"},
          std::tuple{"PATCH", std::string("/v2/groups/g/members/u"), "group:update:member:admin"},
          std::tuple{"POST", std::string("/v2/accounts/S1/users"), "user:write:user:master"},
          std::tuple{"GET", std::string("/v2/accounts/S1/users/x"), "user:read:user:master"}}) {
        CAPTURE(target);
        auto refused = f.call(method, target, "{}");
        CHECK(refused.status == 400);
        CHECK(code_of(refused) == 4711);
        CHECK(json::parse(refused.body)["message"].get<std::string>().find(scope) !=
              std::string::npos);
    }
    auto stats = f.stats();
    CHECK(stats["scope_refused"] == 8);
    CHECK(stats["calls_by_operation"]["userCreate"] == 2);
    CHECK(stats["calls_by_operation"]["user"] == 2);
    CHECK(stats["calls_by_operation"]["updateAGroupMember"] == 1);
    CHECK(stats["deletes"] == 0);
}
