// Unit tests of zoomsim's pending users as Zoom's OpenAPI documents them, without sockets on
// a fake clock: no id in the pending list, created_at the time of the call and
// user_created_at the creation, invitations that expire (400/1120, out of the list, a new
// create gets a new id, or 409 with --expired-create conflict), users accepting on a trigger,
// and DELETEs that act and then answer 429 or nothing.
#include "support/in_process_sim.hpp"
#include "zoomsim/calendar.hpp"
#include "zoomsim/sim_replies.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace zoomsim;
using namespace zoomsim::testing;
using nlohmann::json;

namespace {
json pending_list(in_process_sim& f) {
    auto reply = f.get("/v2/users?status=pending&page_size=300");
    REQUIRE(reply.status == 200);
    return json::parse(reply.body)["users"];
}

json looked_up(in_process_sim& f, const std::string& which) {
    auto reply = f.get("/v2/users/" + which);
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    return json::parse(reply.body);
}

int code_of(const sim_reply& reply) {
    return json::parse(reply.body)["code"].get<int>();
}

sim_reply remove(in_process_sim& f, const std::string& which) {
    return f.call("DELETE", "/v2/users/" + which + "?action=disassociate");
}

sim_options quick() {
    return options_with(1000, 1000);
}
} // namespace

TEST_CASE("zoomsim invitations: the pending list carries no ids, created_at is the time of the "
          "call for pending users, user_created_at their creation") {
    in_process_sim f(quick());
    const auto id = f.created_id("p@x.example.com");
    f.created_id("a@x.example.com", "custCreate");
    const auto made = f.time->utc;
    f.time->advance(std::chrono::hours(49));

    auto listed = pending_list(f);
    REQUIRE(listed.size() == 1);
    CHECK_FALSE(listed[0].contains("id"));
    CHECK(listed[0]["email"] == "p@x.example.com");
    CHECK(listed[0]["user_created_at"] == iso_time(made));
    CHECK(listed[0]["created_at"] == iso_time(f.time->utc));
    auto active = json::parse(f.get("/v2/users?status=active").body)["users"];
    REQUIRE(active.size() == 1);
    CHECK(active[0].contains("id")); // active users keep theirs

    auto pending = looked_up(f, id);
    CHECK(pending["status"] == "pending");
    CHECK(pending["user_created_at"] == iso_time(made));
    CHECK(pending["created_at"] == iso_time(f.time->utc));
    auto accepted = looked_up(f, "a@x.example.com");
    CHECK(accepted["created_at"] == iso_time(made));
}

TEST_CASE("zoomsim invitations: an invitation expires after 30 days: out of the list, 400/1120 "
          "to GET, PATCH and DELETE, and a new create gets a new id") {
    in_process_sim f(quick());
    const auto old_id = f.created_id("p@x.example.com");
    f.created_id("q@x.example.com");
    f.time->advance(std::chrono::days(29));
    CHECK(f.control("activate", {{"emails", {"q@x.example.com"}}})["activated"] == 1);
    CHECK(pending_list(f).size() == 1);
    CHECK(f.control("advance", {{"days", 1}})["now"] ==
          iso_time(f.time->utc + std::chrono::days(1)));

    CHECK(pending_list(f).empty());
    for (const auto& which : {old_id, std::string("p@x.example.com")}) {
        CAPTURE(which);
        auto got = f.get("/v2/users/" + which);
        CHECK(got.status == 400);
        CHECK(code_of(got) == 1120);
        auto patched = f.call("PATCH", "/v2/users/" + which, R"({"dept":"Ops"})");
        CHECK(patched.status == 400);
        CHECK(code_of(patched) == 1120);
        auto deleted = remove(f, which);
        CHECK(deleted.status == 400);
        CHECK(code_of(deleted) == 1120);
    }
    CHECK(f.control("activate", {{"all", true}})["activated"] == 0); // too late to accept
    CHECK(looked_up(f, "q@x.example.com")["status"] == "active");    // accepted in time

    auto stats = f.stats();
    CHECK(stats["pending_users"] == 0);
    CHECK(stats["expired_invitations"] == 1);
    CHECK(stats["expired_answers"] == 6);
    CHECK(stats["deletes"] == 0);

    const auto new_id = f.created_id("p@x.example.com");
    CHECK(new_id != old_id);
    CHECK(looked_up(f, "p@x.example.com")["id"] == new_id);
    CHECK(code_of(f.get("/v2/users/" + old_id)) == 1120); // the lapsed invitation's id
    CHECK(pending_list(f).size() == 1);
    CHECK(f.stats()["creations_by_email"]["p@x.example.com"] == 2);
}

TEST_CASE("zoomsim invitations: with --expired-create conflict, a create for an expired "
          "invitation answers 409 and lookups keep answering 1120") {
    sim_options options = quick();
    options.expired_create = expired_create_rule::conflict;
    options.invitation_lifetime = std::chrono::days(3);
    in_process_sim f(options);
    f.created_id("p@x.example.com");
    f.time->advance(std::chrono::days(3));
    auto again = f.post_user("p@x.example.com");
    CHECK(again.status == 409);
    CHECK(code_of(again) == 1005);
    CHECK(code_of(f.get("/v2/users/p@x.example.com")) == 1120);
}

TEST_CASE("zoomsim invitations: users accept on a trigger: after a pending list page, as their "
          "GET arrives, as their DELETE arrives") {
    in_process_sim f(quick());
    for (auto email : {"l@x.example.com", "g@x.example.com", "d@x.example.com"})
        f.created_id(email);
    f.control("activate-on", {{"email", "l@x.example.com"}, {"on", "list"}, {"nth", 2}});
    f.control("activate-on", {{"email", "G@x.example.com"}, {"on", "get"}});
    f.control("activate-on", {{"email", "d@x.example.com"}, {"on", "delete"}});
    CHECK(f.call("POST", "/_sim/activate-on", R"({"email":"x","on":"soon"})", "").status == 400);

    CHECK(pending_list(f).size() == 3);
    CHECK(pending_list(f).size() == 3); // the second page shows it pending, then it accepts
    CHECK(pending_list(f).size() == 2);
    CHECK(looked_up(f, "g@x.example.com")["status"] == "active");
    CHECK(remove(f, "d@x.example.com").status == 204); // accepted just before: deleted active
    auto stats = f.stats();
    CHECK(stats["activations"] == 3);
    CHECK(stats["deletes_of_active"] == 1);
    CHECK(stats["deletes_of_pending"] == 0);
}

TEST_CASE("zoomsim invitations: a scripted DELETE acts, then answers the concurrent-request 429 "
          "or drops its answer, and the next DELETE finds no user") {
    in_process_sim f(quick());
    const auto a = f.created_id("a@x.example.com");
    const auto b = f.created_id("b@x.example.com");
    f.control("delete-fault", {{"email", "a@x.example.com"}, {"fault", "concurrent-429"}});
    f.control("delete-fault", {{"email", "b@x.example.com"}, {"fault", "drop"}});
    CHECK(f.call("POST", "/_sim/delete-fault", R"({"email":"a","fault":"boom"})", "").status ==
          400);

    auto first = remove(f, a);
    CHECK(first.status == 429);
    CHECK(json::parse(first.body)["message"] ==
          "Too many concurrent requests. A request to disassociate this user has already been "
          "made.");
    CHECK(remove(f, b).what == disposition::drop);
    for (const auto& id : {a, b}) {
        auto again = remove(f, id);
        CHECK(again.status == 404);
        CHECK(code_of(again) == 1001);
    }
    auto stats = f.stats();
    CHECK(stats["deletes"] == 2);
    CHECK(stats["delete_faults"] == 2);
    CHECK(stats["delete_misses"] == 2);
    CHECK(stats["deletions_by_id"][a] == 1);
    CHECK(stats["deletions_by_id"][b] == 1);
    CHECK(stats["deletes_of_pending"] == 2);
}

TEST_CASE("zoomsim invitations: profile fields sent to a pending user are dropped and counted "
          "by email") {
    in_process_sim f(quick());
    const auto id = f.created_id("p@x.example.com");
    CHECK(f.call("PATCH", "/v2/users/" + id, R"({"dept":"Ops","job_title":"CFO"})").status == 204);
    CHECK_FALSE(looked_up(f, id).contains("dept"));
    auto stats = f.stats();
    CHECK(stats["profiles_to_pending"] == 1);
    CHECK(stats["profile_fields_to_pending"]["p@x.example.com"] == 2);
}
