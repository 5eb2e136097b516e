// Re-invites that must not delete the wrong user or create one twice: users accepting between
// the pending list and the DELETE, a DELETE that acts and answers 429 or loses its answer,
// one create left today, another administrator's invitation for the same address, and the
// dry run that deletes nothing. Against zoomsim, time moved as in test_cli_reinvite.cpp.
#include "e2e/stale_accounts.hpp"
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace zprov::test;
using namespace zprov::test::reinvite;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("reinvite: users who accept between the list and the DELETE (right after the pending "
          "list, or as zprov's GET of them arrives) are never deleted, the others are deleted "
          "by the id the journal's create recorded and created again") {
    stale_account a("accept", 6, 1);
    advance_26_days(a.sim);
    a.sim.control("activate-on", {{"email", user_email(1, a.tag)}, {"on", "list"}});
    a.sim.control("activate-on", {{"email", user_email(2, a.tag)}, {"on", "get"}});
    auto r = run_process(reinvite_argv(a.env, a.sim, a.csv, {}));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    check_reinvited(a.sim, 6, a.tag, {0, 1, 2}, {3, 4, 5});
    const auto stats = a.sim.stats();
    CHECK(stats["activations"] == 3);
    CHECK(stats["deletes_of_active"] == 0);
    only_own_ids_deleted(a.sim, a.journal);
    auto s = status_at("+26d", a.journal);
    CHECK(s["reinvited"] == 3);
    CHECK(s["users_active"] == 3);
    CHECK(s["users_pending"] == 3);
    CHECK(s["deletes_in_doubt"] == 0);
}

TEST_CASE("reinvite: a DELETE that acts and answers the concurrent-request 429, or whose answer "
          "is lost, is settled by a GET: created again exactly once, never deleted twice") {
    stale_account a("fault", 4, 0);
    advance_26_days(a.sim);
    a.sim.control("delete-fault", {{"email", user_email(0, a.tag)}, {"fault", "concurrent-429"}});
    a.sim.control("delete-fault", {{"email", user_email(1, a.tag)}, {"fault", "drop"}});
    auto r = run_process(reinvite_argv(a.env, a.sim, a.csv, {}));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    check_reinvited(a.sim, 4, a.tag, {}, {0, 1, 2, 3});
    CHECK(a.sim.stats()["delete_faults"] == 2);
    only_own_ids_deleted(a.sim, a.journal);
    auto s = status_at("+26d", a.journal);
    CHECK(s["reinvited"] == 4);
    CHECK(s["deletes_in_doubt"] == 0);
    CHECK(s["in_doubt"] == 0);
    // A rerun the same day: the new invitations are not stale; nothing is deleted or created.
    auto again = run_process(reinvite_argv(a.env, a.sim, a.csv, {}));
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    check_reinvited(a.sim, 4, a.tag, {}, {0, 1, 2, 3});
}

TEST_CASE("reinvite: with 1 create left today, at most 1 DELETE: the re-create's unit is "
          "reserved before it, the others wait for the next day") {
    stale_account a("onecap", 5, 0);
    advance_26_days(a.sim);
    auto r =
        run_process(reinvite_argv(a.env, a.sim, a.csv, {"--daily-cap", "1", "--concurrency", "5"}));
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    const auto stats = a.sim.stats();
    CHECK(stats["deletes"] == 1);
    CHECK(stats["created"] == 6);
    const auto users = users_by_email(a.sim);
    for (int i = 0; i < 5; ++i)
        CHECK(users.contains(user_email(i, a.tag)));
    only_own_ids_deleted(a.sim, a.journal);
    CHECK(status_at("+26d", a.journal)["reinvited"] == 1);
}

TEST_CASE("reinvite: no DELETE targets an id this journal did not create: another "
          "administrator's new invitation for the same address and an active administrator in "
          "the sheet are left alone") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    const std::string tag = "trap";
    const auto admin = sim.api("POST", "/users",
                               {{"action", "custCreate"},
                                {"user_info",
                                 {{"email", user_email(3, tag)},
                                  {"type", 1},
                                  {"first_name", "Ada"},
                                  {"last_name", "Admin"}}}});
    REQUIRE(admin["status"] == 201);
    const auto admin_id = admin["body"]["id"].get<std::string>();
    const auto csv = env.dir.file("users.csv", users_csv(4, tag));
    const auto journal = csv + ".journal";
    auto first = env.zprov(sim, csv);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    CHECK(journal_status(journal)["exists"] == 1);
    // Another administrator withdraws user 2's invitation and invites the address again.
    const auto ours = users_by_email(sim).at(user_email(2, tag))["id"].get<std::string>();
    REQUIRE(sim.api("DELETE", "/users/" + ours + "?action=disassociate")["status"] == 204);
    const auto theirs = sim.api(
        "POST", "/users",
        {{"action", "create"}, {"user_info", {{"email", user_email(2, tag)}, {"type", 1}}}});
    REQUIRE(theirs["status"] == 201);
    const auto their_id = theirs["body"]["id"].get<std::string>();
    advance_26_days(sim);

    auto r = run_process(reinvite_argv(env, sim, csv, {}));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find(user_email(2, tag) + ": not re-invited: the user no longer exists in Zoom") !=
          std::string::npos);
    const auto stats = sim.stats();
    CHECK(stats["deletes"] == 3); // the other administrator's, then users 0 and 1
    CHECK(stats["deletes_of_active"] == 0);
    const auto& by_id = stats["deletions_by_id"];
    CHECK_FALSE(by_id.contains(their_id));
    CHECK_FALSE(by_id.contains(admin_id));
    CHECK(by_id[ours] == 1); // the other administrator's DELETE only
    const auto users = users_by_email(sim);
    CHECK(users.at(user_email(2, tag))["id"] == their_id);
    CHECK(users.at(user_email(2, tag))["status"] == "pending");
    CHECK(users.at(user_email(3, tag))["status"] == "active");
    for (int i : {0, 1}) {
        CHECK(created_count(stats, user_email(i, tag)) == 2);
        CHECK(stats["deletions_by_email"][user_email(i, tag)] == 1);
    }
    auto s = status_at("+26d", journal);
    CHECK(s["reinvited"] == 2);
    CHECK(s["users_gone"] == 1);
}

TEST_CASE("reinvite: run --dry-run --reinvite names the users that would be deleted and created "
          "again, reading the pending list only") {
    stale_account a("dry", 3, 1);
    advance_26_days(a.sim);
    const auto before = a.sim.stats();
    auto r = run_process(under_faketime(
        "+26d", a.env.argv(a.sim, a.csv, {"--dry-run", "--reinvite", "--max-reinvites", "5"})));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find("Dry run: 2 rows would be sent") != std::string::npos);
    CHECK(r.err.find("2 of them are stale invitations that would be deleted") != std::string::npos);
    CHECK(r.err.find(user_email(1, a.tag)) != std::string::npos);
    CHECK(r.err.find(user_email(2, a.tag)) != std::string::npos);
    CHECK(r.err.find(user_email(0, a.tag)) == std::string::npos);
    const auto after = a.sim.stats();
    CHECK(after["deletes"] == 0);
    CHECK(after["created"] == before["created"]);
    CHECK(after["calls_by_operation"].value("users", 0) ==
          before["calls_by_operation"].value("users", 0) + 1);
    CHECK(after["calls_by_operation"].value("userDelete", 0) == 0);
}
TEST_SUITE_END();
