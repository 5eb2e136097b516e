// Unit tests of the simulated account's users without sockets, on a fake clock: lookups,
// the day's quota on a 201, activation of pending users, groups and PATCH /users.
#include "support/in_process_sim.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace zoomsim;
using namespace zoomsim::testing;
using nlohmann::json;

TEST_CASE("zoomsim simulator: GET a user by email or id, status pending only for create") {
    sim_options options = options_with(1000, 100);
    options.existing = {"Old@Example.com"};
    in_process_sim f(options);
    auto made = f.post_user("new@example.com");
    REQUIRE(made.status == 201);
    auto id = json::parse(made.body)["id"].get<std::string>();
    CHECK(id.size() == 22);
    CHECK(header(made, "Content-Location") == "/v2/users/" + id);
    CHECK(f.post_user("sso@example.com", "ssoCreate").status == 201);

    auto by_email = json::parse(f.get("/v2/users/NEW%40example.com").body);
    CHECK(by_email["id"] == id);
    CHECK(by_email["status"] == "pending");
    CHECK(by_email["display_name"] == "F L");
    CHECK(json::parse(f.get("/v2/users/" + id).body)["email"] == "new@example.com");
    CHECK(json::parse(f.get("/v2/users/sso@example.com").body)["status"] == "active");
    CHECK(json::parse(f.get("/v2/users/old@example.com").body)["status"] == "active");

    auto missing = f.get("/v2/users/ghost@example.com");
    CHECK(missing.status == 404);
    CHECK(json::parse(missing.body) ==
          json{{"code", 1001}, {"message", "User does not exist: ghost@example.com."}});
    CHECK(f.post_user("OLD@example.com").status == 409);
    CHECK(f.stats()["users_total"] == 3);
}

TEST_CASE("zoomsim simulator: a 201 for create carries the day's quota, other apps' creates "
          "count") {
    sim_options options = options_with(1000, 10);
    options.spent_today = 7; // other apps on the account created 7 users today
    in_process_sim f(options);
    auto made = f.post_user("a@example.com");
    REQUIRE(made.status == 201);
    CHECK(header(made, "X-RateLimit-Limit") == "10");
    CHECK(header(made, "X-RateLimit-Remaining") == "2");
    CHECK(header(f.post_user("b@example.com"), "X-RateLimit-Remaining") == "1");
    // custCreate is not capped: no quota headers.
    CHECK(header(f.post_user("c@example.com", "custCreate"), "X-RateLimit-Limit") == "");
    CHECK(header(f.post_user("d@example.com"), "X-RateLimit-Remaining") == "0");
    CHECK(f.post_user("e@example.com").status == 429);
    CHECK(f.stats()["creates_today"] == 10);
    // The next day starts with the whole cap.
    f.time->advance(60s);
    CHECK(header(f.post_user("e@example.com"), "X-RateLimit-Remaining") == "9");

    options.quota_headers = false;
    in_process_sim quiet(options);
    auto plain = quiet.post_user("a@example.com");
    CHECK(plain.status == 201);
    CHECK(header(plain, "X-RateLimit-Limit") + header(plain, "X-RateLimit-Remaining") == "");
}

TEST_CASE("zoomsim simulator: a bare daily 429 carries only Zoom's message") {
    sim_options options = options_with(1000, 1);
    options.bare_daily_429 = true;
    in_process_sim f(options);
    CHECK(f.post_user("a@example.com").status == 201);
    auto refused = f.post_user("b@example.com");
    CHECK(refused.status == 429);
    CHECK(refused.headers.empty());
    CHECK(json::parse(refused.body)["message"].get<std::string>().find("daily rate limit") !=
          std::string::npos);
    CHECK(f.stats()["rate_limited_daily"] == 1);
}

TEST_CASE("zoomsim simulator: /_sim/activate turns pending users active, named or all") {
    in_process_sim f(options_with(1000, 100));
    for (auto email : {"a@example.com", "b@example.com", "c@example.com"})
        REQUIRE(f.post_user(email).status == 201);
    REQUIRE(f.post_user("d@example.com", "custCreate").status == 201);
    CHECK(f.stats()["pending_users"] == 3);
    auto activate = [&f](std::string_view body) {
        return f.sim->handle({"POST", "/_sim/activate", "", "application/json", body});
    };
    auto named = activate(R"({"emails": ["A@example.com", "ghost@example.com"]})");
    CHECK(named.status == 200);
    CHECK_FALSE(named.counted);
    CHECK(json::parse(named.body) == json{{"activated", 1}});
    CHECK(json::parse(f.get("/v2/users/a@example.com").body)["status"] == "active");
    CHECK(json::parse(f.get("/v2/users/b@example.com").body)["status"] == "pending");
    CHECK(json::parse(activate(R"({"all": true})").body) == json{{"activated", 2}});
    CHECK(json::parse(f.get("/v2/users/c@example.com").body)["status"] == "active");
    CHECK(f.stats()["pending_users"] == 0);
    for (auto refused : {"{}", R"({"emails": [1]})", "not json"})
        CHECK(activate(refused).status == 400);
}

TEST_CASE("zoomsim: GET /groups pages the seeded groups, PATCH /users/{id} sets the group of a "
          "pending user and drops its profile, and applies an active user's profile (not its "
          "group)") {
    sim_options options = options_with(1000, 0);
    options.groups = {"Sales", "Support", "Staff"};
    in_process_sim f(options);
    auto first = json::parse(f.get("/v2/groups?page_size=2").body);
    REQUIRE(first["groups"].size() == 2);
    CHECK(first["total_records"] == 3);
    CHECK(first["groups"][1]["name"] == "Support");
    auto token = first["next_page_token"].get<std::string>();
    REQUIRE_FALSE(token.empty());
    auto second = json::parse(f.get("/v2/groups?page_size=2&next_page_token=" + token).body);
    REQUIRE(second["groups"].size() == 1);
    CHECK(second["next_page_token"] == "");
    const auto sales = first["groups"][0]["id"].get<std::string>();

    auto pending_id = json::parse(f.post_user("p@x.example.com").body)["id"].get<std::string>();
    auto active_id =
        json::parse(f.post_user("a@x.example.com", "custCreate").body)["id"].get<std::string>();
    auto patch = [&](const std::string& id, const std::string& body) {
        f.body = body;
        return f.sim->handle({"PATCH", "/v2/users/" + id, "Bearer T", "application/json", f.body});
    };
    const auto both = R"({"group_id":")" + sales + R"(","dept":"Ops","job_title":"CFO"})";
    CHECK(patch(pending_id, both).status == 204);
    CHECK(patch(active_id, both).status == 204);
    // PATCH documents no 4130: an unknown group fails the body's validation.
    auto bad_group = patch(active_id, R"({"group_id":"nope"})");
    CHECK(bad_group.status == 400);
    CHECK(json::parse(bad_group.body)["code"] == 300);
    CHECK(patch("unknown-id", R"({"dept":"x"})").status == 404);
    CHECK(patch(active_id, R"({"dept":7})").status == 400);

    auto pending = json::parse(f.get("/v2/users/" + pending_id).body);
    CHECK(pending["group_ids"] == json::array({sales}));
    CHECK_FALSE(pending.contains("dept")); // success, not applied
    auto active = json::parse(f.get("/v2/users/" + active_id).body);
    CHECK(active["dept"] == "Ops");
    CHECK(active["job_title"] == "CFO");
    CHECK(active["group_ids"] == json::array()); // group_id is documented for pending users
    auto stats = f.stats();
    CHECK(stats["patches"] == 2);
    CHECK(stats["groups_set"] == 1);
    CHECK(stats["group_id_ignored"] == 1);
    CHECK(stats["profiles_applied"] == 1);
    CHECK(stats["profiles_to_pending"] == 1);
    CHECK(stats["group_lists"] == 2);
}
