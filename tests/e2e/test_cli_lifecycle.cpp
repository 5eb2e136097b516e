// The lifecycle of HR rows after their create, against a real zoomsim: users made with
// `create` stay pending until they accept, so their profile waits; later runs list the
// account's pending users, apply the profiles of those that accepted, follow the sheet's
// changes, and keep doing so while the daily cap holds the creates back. Checked on what
// zoomsim recorded (/_sim/users, /_sim/stats) and on `status`.
#include "e2e/lifecycle_hires.hpp"
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

using namespace zprov::test;
using namespace zprov::test::lifecycle;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("lifecycle: 200 hires with action create - groups at once, profiles deferred, 120 "
          "accept, the next run applies exactly their profiles") {
    run_env env;
    // A faster account than any plan's, so that 520 requests take a second or two.
    zoomsim_server sim(env.dir, sim_args({"--qps", "400"}), &env.ca);
    const std::vector<std::string> fast{"--plan", "business", "--rate", "300"};
    const int n = 200;
    auto csv = env.dir.file("hires.csv", hr_sheet(0, n, "life"));
    auto journal = csv + ".journal";
    auto first = env.zprov(sim, csv, fast);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    check_final_state(sim, n, "life", {});
    auto stats = sim.stats();
    CHECK(stats["patches"] == n);    // the group, once each
    CHECK(stats["user_lists"] == 0); // nobody was pending before the run
    auto s = journal_status(journal);
    CHECK(s["users_pending"] == n);
    CHECK(s["users_active"] == 0);
    CHECK(s["groups_set"] == n);
    CHECK(s["profiles_deferred"] == n);

    activate(sim, 0, 120, "life");
    auto second = env.zprov(sim, csv, fast);
    REQUIRE_MESSAGE(second.exit_code == 0, second.err);
    CHECK(second.err.find("120 users accepted their invitation") != std::string::npos);
    std::set<int> active;
    for (int i = 0; i < 120; ++i)
        active.insert(i);
    check_final_state(sim, n, "life", active);
    stats = sim.stats();
    CHECK(stats["patches"] == n + 120);
    CHECK(stats["profiles_applied"] == 120);
    CHECK(stats["user_lists"] == 1); // 80 pending users: one page of 300
    CHECK(stats["created"] == n);
    s = journal_status(journal);
    CHECK(s["users_pending"] == 80);
    CHECK(s["users_active"] == 120);
    CHECK(s["profiles_applied"] == 120);
    CHECK(s["profiles_deferred"] == 80);
    CHECK(s["profiles_due"] == 0);
    auto text = run_process({zprov_bin, "status", journal});
    CHECK(text.out.find("In Zoom: 80 pending (invitation not yet accepted), 120 active") !=
          std::string::npos);
    auto report = run_process({zprov_bin, "report", journal});
    CHECK(report.out.find(",zoom_status,group_step,profile_step\r\n") != std::string::npos);
    CHECK(report.out.find(",active,done,done\r\n") != std::string::npos);
    CHECK(report.out.find(",pending,done,deferred\r\n") != std::string::npos);

    // Nothing changed: a third run lists the pending users again and sends no PATCH.
    auto third = env.zprov(sim, csv, fast);
    CHECK_MESSAGE(third.exit_code == 0, third.err);
    CHECK(sim.stats()["patches"] == n + 120);
}

TEST_CASE("lifecycle: HR changes a group or a profile field - the next run applies the change "
          "(a pending user's profile stays deferred) and unchanged rows get nothing") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({}), &env.ca);
    const int n = 10;
    auto csv = env.dir.file("hires.csv", hr_sheet(0, n, "chg"));
    REQUIRE(env.zprov(sim, csv, {"--plan", "business"}).exit_code == 0);
    activate(sim, 0, 5, "chg");
    REQUIRE(env.zprov(sim, csv, {"--plan", "business"}).exit_code == 0);
    REQUIRE(sim.stats()["patches"] == n + 5);

    // Row 0 (active) moves to another department, row 1 (active) to another group, row 7
    // (pending) to another department and group.
    std::string changed = hr_sheet(0, n, "chg");
    auto swap = [&](const std::string& from, const std::string& to) {
        auto at = changed.find(from);
        REQUIRE(at != std::string::npos);
        changed.replace(at, from.size(), to);
    };
    swap("h0@chg.example.com,Ann,Lee,Dept 0,", "h0@chg.example.com,Ann,Lee,Finance,");
    swap("h1@chg.example.com,Ann,Lee,Dept 1,Support,", "h1@chg.example.com,Ann,Lee,Dept 1,Legal,");
    swap("h7@chg.example.com,Ann,Lee,Dept 0,Staff,", "h7@chg.example.com,Ann,Lee,Lab,Sales,");
    {
        std::ofstream out(csv, std::ios::trunc);
        out << changed;
    }
    auto r = env.zprov(sim, csv, {"--plan", "business"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto users = users_by_email(sim);
    CHECK(users.at("h0@chg.example.com")["profile"]["dept"] == "Finance");
    CHECK(users.at("h1@chg.example.com")["group"] == "Legal");
    CHECK(users.at("h7@chg.example.com")["group"] == "Sales");
    CHECK(users.at("h7@chg.example.com")["profile"].empty()); // pending: deferred
    CHECK(users.at("h2@chg.example.com")["profile"] == hire_of(2, "chg").profile);
    auto stats = sim.stats();
    // Row 0's profile by PATCH /users/{id}; rows 1 (active) and 7 (pending) moved from the
    // group this journal set by PATCH /groups/{groupId}/members/{memberId} (group_id would
    // add a pending user to a second group, and is not documented for active users).
    CHECK(stats["patches"] == n + 5 + 1);
    CHECK(stats["member_moves"] == 2);
    CHECK(users.at("h7@chg.example.com")["groups"] == json::array({"Sales"}));
    CHECK(stats["group_id_ignored"] == 0);
    CHECK(users.at("h1@chg.example.com")["groups"] == json::array({"Legal"}));
    CHECK(stats["profiles_to_pending"] == 0);

    // Applied: the digests match the sheet now; another run sends nothing. Once row 7
    // accepts, it gets the sheet's profile as it is now.
    REQUIRE(env.zprov(sim, csv, {"--plan", "business"}).exit_code == 0);
    CHECK(sim.stats()["patches"] == n + 5 + 1);
    CHECK(sim.stats()["member_moves"] == 2);
    activate(sim, 7, 1, "chg");
    REQUIRE(env.zprov(sim, csv, {"--plan", "business"}).exit_code == 0);
    CHECK(users_by_email(sim).at("h7@chg.example.com")["profile"]["dept"] == "Lab");
    CHECK(sim.stats()["patches"] == n + 5 + 2);
}

TEST_CASE("lifecycle: users created from a sheet without groups or profiles get them when HR "
          "adds the columns later (their id looked up once)") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({}), &env.ca);
    auto csv = env.dir.file("hires.csv", names_sheet(4, "add"));
    const std::vector<std::string> args{"--plan", "business", "--action", "custCreate"};
    REQUIRE(env.zprov(sim, csv, args).exit_code == 0);
    CHECK(sim.stats()["patches"] == 0);
    {
        std::ofstream out(csv, std::ios::trunc);
        out << hr_sheet(0, 4, "add");
    }
    auto r = env.zprov(sim, csv, args);
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    check_final_state(sim, 4, "add", {0, 1, 2, 3});
    // Each: its id looked up, its groups read, then POST /groups/{groupId}/members (active
    // users) and its profile by PATCH.
    CHECK(sim.stats()["lookups"] == 8);
    CHECK(sim.stats()["members_added"] == 4);
    CHECK(sim.stats()["patches"] == 4);
    REQUIRE(env.zprov(sim, csv, args).exit_code == 0); // applied: nothing more
    CHECK(sim.stats()["lookups"] == 8);
    CHECK(sim.stats()["patches"] == 4);
}

TEST_CASE("lifecycle: users that already existed (409) are left alone unless "
          "--update-existing, then the sheet wins") {
    run_env env;
    auto existing = env.dir.file("existing.txt", "h1@upd.example.com\nh2@upd.example.com\n");
    zoomsim_server sim(env.dir, sim_args({"--existing", existing}), &env.ca);
    const int n = 4;
    auto csv = env.dir.file("hires.csv", hr_sheet(0, n, "upd"));
    auto r = env.zprov(sim, csv, {"--plan", "business", "--action", "custCreate"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto users = users_by_email(sim);
    CHECK(users.at("h0@upd.example.com")["profile"] == hire_of(0, "upd").profile);
    CHECK(users.at("h1@upd.example.com")["group"] == "");
    CHECK(users.at("h2@upd.example.com")["profile"].empty());
    CHECK(sim.stats()["patches"] == 2);
    REQUIRE(env.zprov(sim, csv, {"--plan", "business", "--action", "custCreate"}).exit_code == 0);
    CHECK(sim.stats()["patches"] == 2); // still left alone

    r = env.zprov(sim, csv, {"--plan", "business", "--action", "custCreate", "--update-existing"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    users = users_by_email(sim);
    for (int i : {1, 2}) {
        const auto h = hire_of(i, "upd");
        CHECK(users.at(h.email)["group"] == h.group);
        CHECK(users.at(h.email)["profile"] == h.profile);
    }
    CHECK(sim.stats()["patches"] == 4);
    REQUIRE(
        env.zprov(sim, csv, {"--plan", "business", "--action", "custCreate", "--update-existing"})
            .exit_code == 0);
    CHECK(sim.stats()["patches"] == 4); // applied once
}

TEST_CASE("lifecycle: at the daily cap the creates stop while the group and profile steps of "
          "the rows after it still go out") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({"--daily-cap", "13"}), &env.ca);
    auto csv = env.dir.file("hires.csv", hr_sheet(0, 10, "cap"));
    auto first = env.zprov(sim, csv, {"--plan", "business", "--daily-cap", "13"});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    activate(sim, 0, 10, "cap");
    // Ten new hires first: three fit in the day; the ten accepted users come after them.
    {
        std::ofstream out(csv, std::ios::trunc);
        out << "Email,First Name,Last Name,Department,User Group,Job Title,Location,Company\n"
            << hr_rows(10, 20, "cap") << hr_rows(0, 10, "cap");
    }
    auto second = env.zprov(sim, csv, {"--plan", "business", "--daily-cap", "13"});
    CHECK_MESSAGE(second.exit_code == 75, second.err); // paused at the cap
    auto stats = sim.stats();
    CHECK(stats["created"] == 13);
    CHECK(stats["rate_limited_daily"] == 0); // zprov stopped before Zoom had to refuse
    CHECK(stats["profiles_applied"] == 10);  // every accepted user's, after the cap
    CHECK(stats["groups_set"] == 13);
    std::set<int> active;
    for (int i = 0; i < 10; ++i)
        active.insert(i);
    check_final_state(sim, 10, "cap", active);
    auto s = journal_status(csv + ".journal");
    CHECK(s["profiles_applied"] == 10);
    CHECK(s["profiles_due"] == 0);
    CHECK(s["groups_due"] == 0);
    CHECK(!s["paused_until"].is_null());

    // Still paused: a rerun sends no create and no step (none is owed), only the list.
    auto third = env.zprov(sim, csv, {"--plan", "business", "--daily-cap", "13"});
    CHECK(third.exit_code == 75);
    CHECK(sim.stats()["created"] == 13);
    CHECK(sim.stats()["patches"] == stats["patches"]);
}

TEST_CASE("lifecycle: users without a profile that accept their invitation are noted, no profile "
          "is said to be applied") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({}), &env.ca);
    auto csv = env.dir.file("hires.csv", names_sheet(3, "noprofile", "User Group", "Sales"));
    REQUIRE(env.zprov(sim, csv, {"--plan", "business"}).exit_code == 0);
    activate(sim, 0, 3, "noprofile");
    auto r = env.zprov(sim, csv, {"--plan", "business"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find("3 users accepted their invitation") != std::string::npos);
    CHECK_MESSAGE(r.err.find("profiles are applied") == std::string::npos, r.err);
    CHECK(sim.stats()["profiles_applied"] == 0);

    // With profiles deferred, the message says how many are applied now.
    auto hr = env.dir.file("hr.csv", hr_sheet(10, 14, "withprofile"));
    REQUIRE(env.zprov(sim, hr, {"--plan", "business"}).exit_code == 0);
    activate(sim, 10, 2, "withprofile");
    auto second = env.zprov(sim, hr, {"--plan", "business"});
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    CHECK_MESSAGE(second.err.find("2 users accepted their invitation since the last run: their "
                                  "profiles are applied now") != std::string::npos,
                  second.err);
    CHECK(sim.stats()["profiles_applied"] == 2);
}

TEST_SUITE_END();
