#include "support/in_process_sim.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace zoomsim;
using namespace zoomsim::testing;
using nlohmann::json;

TEST_CASE("zoomsim: GET /users lists by status, paged with next_page_token as Zoom answers") {
    in_process_sim f(sim_options{});
    for (int i = 0; i < 7; ++i) {
        CHECK(f.post_user("p" + std::to_string(i) + "@x.com").status == 201);
        f.time->advance(1s); // distinct created_at
    }
    CHECK(f.post_user("a@x.com", "custCreate").status == 201);

    std::set<std::string> seen;
    std::string token;
    int pages = 0;
    for (; pages < 10; ++pages) {
        auto reply = f.get("/v2/users?status=pending&page_size=3" +
                           (token.empty() ? std::string() : "&next_page_token=" + token));
        REQUIRE(reply.status == 200);
        auto doc = json::parse(reply.body);
        CHECK(doc["page_size"] == 3);
        CHECK(doc["total_records"] == (pages == 0 ? 7 : 6)); // p0 accepts after page 1
        for (const auto& u : doc["users"]) {
            CHECK(u["status"] == "pending");
            CHECK_FALSE(u.contains("id")); // "not returned for users with the pending status"
            CHECK(u.contains("user_created_at"));
            seen.insert(u["email"].get<std::string>());
        }
        token = doc["next_page_token"].get<std::string>();
        if (token.empty())
            break;
        if (pages == 0) // a user accepting between pages moves nobody else out of the list
            CHECK(f.sim
                      ->handle({"POST", "/_sim/activate", "", "application/json",
                                R"({"emails":["p0@x.com"]})"})
                      .status == 200);
    }
    CHECK(pages == 2);
    CHECK(seen.size() == 7);

    auto active = json::parse(f.get("/v2/users?status=active").body);
    CHECK(active["page_size"] == 30);                                  // Zoom's default
    CHECK(active["total_records"] == 2);                               // a@x.com and p0, activated
    CHECK(json::parse(f.get("/v2/users").body)["total_records"] == 2); // active by default
    CHECK(json::parse(f.get("/v2/users?status=pending&page_size=1000").body)["page_size"] == 1000);
    CHECK(json::parse(f.get("/v2/users?status=pending&page_size=5000").body)["page_size"] == 2000);
    CHECK(f.get("/v2/users?status=asleep").status == 400);
    CHECK(f.get("/v2/users?status=pending&next_page_token=junk").status == 400);
    CHECK(f.stats()["user_lists"] == 9);
}

TEST_CASE("zoomsim: DELETE /users/{id}?action=disassociate removes a user (204), its email can "
          "be created again, an unknown or deleted id answers 404/1001") {
    in_process_sim f(sim_options{});
    REQUIRE(f.post_user("p@x.com").status == 201);
    const auto id = json::parse(f.get("/v2/users/p@x.com").body)["id"].get<std::string>();
    auto remove = [&](const std::string& which) {
        return f.sim->handle(
            {"DELETE", "/v2/users/" + which + "?action=disassociate", "Bearer T", "", ""});
    };
    CHECK(remove(id).status == 204);
    CHECK(f.get("/v2/users/p@x.com").status == 404);
    auto again = remove(id);
    CHECK(again.status == 404);
    CHECK(json::parse(again.body)["code"] == 1001);
    CHECK(f.post_user("p@x.com").status == 201); // a new invitation
    CHECK(json::parse(f.get("/v2/users?status=pending").body)["total_records"] == 1);
    auto stats = f.stats();
    CHECK(stats["deletes"] == 1);
    CHECK(stats["deletes_of_pending"] == 1);
    CHECK(stats["delete_misses"] == 1);
    CHECK(stats["deletions_by_email"]["p@x.com"] == 1);
    CHECK(stats["creations_by_email"]["p@x.com"] == 2);
    CHECK(remove("nobody@x.com").status == 404);
}
