// The lifecycle of HR rows after their create, against a real zoomsim: users made with
// `create` stay pending until they accept, so their profile waits; later runs list the
// account's pending users, apply the profiles of those that accepted, follow the sheet's
// changes, and keep doing so while the daily cap holds the creates back. Checked on what
// zoomsim recorded (/_sim/users, /_sim/stats) and on `status`.
#include "support/process.hpp"
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <set>

using namespace zprov::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();
const std::vector<std::string> groups{"Sales", "Support", "Staff", "Legal", "Ops"};
const std::string group_list = "Sales,Support,Staff,Legal,Ops";

// Row i of hr_sheet: its email, group and profile as Zoom should end up holding them.
struct hire {
    std::string email, group;
    json profile;
};

hire hire_of(int i, const std::string& tag, const std::string& dept_prefix = "Dept ") {
    hire h;
    h.email = "h";
    h.email += std::to_string(i);
    h.email += "@" + tag + ".example.com";
    h.group = groups[static_cast<std::size_t>(i) % groups.size()];
    h.profile = {{"dept", dept_prefix + std::to_string(i % 7)},
                 {"job_title", "Title " + std::to_string(i)},
                 {"location", i % 2 ? "Berlin" : "Lyon"},
                 {"company", "Acme"}};
    return h;
}

// Zoom's template columns plus Company: rows `from` to `to` (exclusive), in that order.
std::string hr_rows(int from, int to, const std::string& tag,
                    const std::string& dept_prefix = "Dept ") {
    std::string csv;
    for (int i = from; i < to; ++i) {
        const auto h = hire_of(i, tag, dept_prefix);
        for (const auto& part :
             {h.email, std::string(",Ann,Lee,"), h.profile["dept"].get<std::string>(),
              std::string(","), h.group, std::string(","),
              h.profile["job_title"].get<std::string>(), std::string(","),
              h.profile["location"].get<std::string>(), std::string(",Acme\n")})
            csv += part;
    }
    return csv;
}

std::string hr_sheet(int from, int to, const std::string& tag,
                     const std::string& dept_prefix = "Dept ") {
    return "Email,First Name,Last Name,Department,User Group,Job Title,Location,Company\n" +
           hr_rows(from, to, tag, dept_prefix);
}

// Hires 0 .. n - 1 with their names only, or with one more column (`column`) holding `cell`.
std::string names_sheet(int n, const std::string& tag, const std::string& column = "",
                        const std::string& cell = "") {
    std::string csv = "Email,First Name,Last Name" + (column.empty() ? "" : "," + column) + "\n";
    for (int i = 0; i < n; ++i)
        csv += hire_of(i, tag).email + ",Ann,Lee" + (column.empty() ? "" : "," + cell) + "\n";
    return csv;
}

// Activates hires `first` .. `first + n - 1` in zoomsim.
void activate(const zoomsim_server& sim, int first, int n, const std::string& tag) {
    json emails = json::array();
    for (int i = first; i < first + n; ++i)
        emails.push_back(hire_of(i, tag).email);
    REQUIRE(sim.activate({{"emails", emails}})["activated"] == n);
}

// By zoomsim's record: every hire in [0, n) created once and in its group; the `active` ones
// carry the sheet's profile exactly, the others none.
void check_final_state(const zoomsim_server& sim, int n, const std::string& tag,
                       const std::set<int>& active) {
    const auto stats = sim.stats();
    const auto users = users_by_email(sim);
    for (int i = 0; i < n; ++i) {
        const auto h = hire_of(i, tag);
        CAPTURE(h.email);
        CHECK(created_count(stats, h.email) == 1);
        REQUIRE(users.contains(h.email));
        const auto& u = users.at(h.email);
        CHECK(u["group"] == h.group);
        if (active.contains(i)) {
            CHECK(u["status"] == "active");
            CHECK(u["profile"] == h.profile);
        } else {
            CHECK(u["status"] == "pending");
            CHECK(u["profile"].empty());
        }
    }
    CHECK(stats["profiles_to_pending"] == 0);
}

std::vector<std::string> sim_args(std::vector<std::string> more = {}) {
    std::vector<std::string> args{"--access-token", run_env::token, "--groups",
                                  group_list,       "--plan",       "business"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}
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

TEST_CASE("lifecycle: kill -9 at random points across both runs - the final state equals the "
          "sheet, nothing lost, nobody created twice") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({"--latency-ms", "15", "--qps", "400"}), &env.ca);
    const int n = 60;
    auto csv = env.dir.file("hires.csv", hr_sheet(0, n, "k9"));
    auto journal = csv + ".journal";
    std::mt19937 rng{std::random_device{}()};
    const std::vector<std::string> args{"--plan", "business",      "--rate",
                                        "300",    "--concurrency", "4"};
    // Runs zprov, killed once the journal grew by a random number of lines (or it ended);
    // a few times, then once to completion.
    auto kill_runs_then_finish = [&] {
        for (int k = 0; k < 4; ++k) {
            const auto before = occurrences(slurp(journal), "\n");
            const auto more = std::uniform_int_distribution<std::size_t>(2, 40)(rng);
            background_process p(env.argv(sim, csv, args));
            wait_until(
                [&] { return !p.running() || occurrences(slurp(journal), "\n") >= before + more; },
                20s);
            p.kill();
            p.wait(5s);
        }
        auto done = env.zprov(sim, csv, args);
        CHECK_MESSAGE(done.exit_code == 0, done.err);
    };
    kill_runs_then_finish();
    check_final_state(sim, n, "k9", {});

    std::set<int> active;
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i)
        order[static_cast<std::size_t>(i)] = i;
    std::shuffle(order.begin(), order.end(), rng);
    json emails = json::array();
    for (int i = 0; i < 36; ++i) {
        active.insert(order[static_cast<std::size_t>(i)]);
        emails.push_back(hire_of(order[static_cast<std::size_t>(i)], "k9").email);
    }
    REQUIRE(sim.activate({{"emails", emails}})["activated"] == 36);
    kill_runs_then_finish();
    check_final_state(sim, n, "k9", active);
    auto s = journal_status(journal);
    CHECK(s["users_active"] == 36);
    CHECK(s["users_pending"] == n - 36);
    CHECK(s["groups_due"] == 0);
    CHECK(s["profiles_due"] == 0);
    CHECK(s["profiles_applied"] == 36);
    CHECK(s["in_doubt"] == 0);
}

TEST_CASE("lifecycle: a user deleted in Zoom since its create (answered 404/1001) is a "
          "row-level failure said plainly, not sent again by later runs" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    scripted_server server(
        dir,
        {{"routes",
          {{{"method", "GET"},
            {"path", "/v2/groups"},
            {"answers",
             {{{"status", 200}, {"body", {{"groups", {{{"id", "g1"}, {"name", "Sales"}}}}}}}}}},
           {{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("U1")}}},
           {{"path", "/v2/users/U1"},
            {"answers", {zoom_error(404, 1001, "User does not exist: U1.")}}}}}});
    auto csv = dir.file("hires.csv", "Email,First Name,Last Name,Department,User Group\n"
                                     "gone@x.example.com,Ann,Lee,Lab,Sales\n");
    // An active user's steps start by reading its groups (GET /users/{id}), then PATCH: the
    // requests about the user, whichever answers 404/1001 first.
    auto patches = [&] {
        int n = 0;
        for (const auto& r : server.requests())
            n += r["path"].get<std::string>().starts_with("/v2/users/U1");
        return n;
    };
    auto first = run_against(server.base_url(), csv, {"--action", "custCreate"});
    CHECK_MESSAGE(first.exit_code == 0, first.err); // the create itself succeeded
    CHECK(first.err.find("the user no longer exists in Zoom") != std::string::npos);
    // Created seconds ago: sent again 3 times (a store not yet consistent), then gone only
    // because a later GET /users/{id} agrees (issue 22).
    CHECK(patches() == 4);
    auto s = journal_status(csv + ".journal");
    CHECK(s["users_gone"] == 1);
    CHECK(s["groups_due"] == 0);
    auto again = run_against(server.base_url(), csv, {"--action", "custCreate"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    CHECK(patches() == 4); // not sent again by a later run
    auto report = run_process({zprov_bin, "report", csv + ".journal"});
    CHECK(report.out.find(",gone,owed,owed\r\n") != std::string::npos);
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

namespace {
// profile_fields_to_pending: profile fields zoomsim answered with success and dropped, by
// email; summed.
std::int64_t profile_fields_to_pending(const json& stats) {
    std::int64_t n = 0;
    for (const auto& [email, fields] : stats["profile_fields_to_pending"].items())
        n += fields.get<std::int64_t>();
    return n;
}

// The whole lifecycle by Zoom's OpenAPI (pending users listed without ids, expiry, 1120):
// 20 hires; a rerun sends no profile to a pending user; 12 accept and get exactly their
// profiles; 31 days later the 8 others are expired; --reinvite creates them again, with no
// DELETE, as `mode` (zoomsim's --expired-create) lets it.
void twenty_hires_until_expiry(const std::string& mode) {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({"--expired-create", mode}), &env.ca);
    const int n = 20;
    const std::string tag = "exp" + mode;
    auto csv = env.dir.file("hires.csv", hr_sheet(0, n, tag));
    auto journal = csv + ".journal";
    const std::vector<std::string> plan{"--plan", "business"};
    auto first = env.zprov(sim, csv, plan);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    auto rerun = env.zprov(sim, csv, plan); // at once: nobody has accepted
    REQUIRE_MESSAGE(rerun.exit_code == 0, rerun.err);
    auto stats = sim.stats();
    CHECK(profile_fields_to_pending(stats) == 0);
    CHECK(stats["profiles_to_pending"] == 0);
    CHECK(stats["profiles_applied"] == 0);
    auto s = journal_status(journal);
    CHECK(s["users_pending"] == n);
    CHECK(s["users_active"] == 0);

    activate(sim, 0, 12, tag);
    auto accepted = env.zprov(sim, csv, plan);
    REQUIRE_MESSAGE(accepted.exit_code == 0, accepted.err);
    CHECK(accepted.err.find("12 users accepted their invitation") != std::string::npos);
    stats = sim.stats();
    CHECK(stats["profiles_applied"] == 12);
    CHECK(profile_fields_to_pending(stats) == 0);
    s = journal_status(journal);
    CHECK(s["users_active"] == 12);
    CHECK(s["users_pending"] == 8);

    sim.control("advance", {{"days", 31}});
    auto lapsed = env.zprov(sim, csv, plan); // without --reinvite: reported, not created
    CHECK_MESSAGE(lapsed.exit_code == 0, lapsed.err);
    CHECK(lapsed.err.find("8 invitations expired") != std::string::npos);
    s = journal_status(journal);
    CHECK(s["expired"] == 8);
    CHECK(s["users_expired"] == 8);
    CHECK(s["users_active"] == 12); // none of the 8 taken for active
    CHECK(s["users_pending"] == 0);
    CHECK(s["created"] == 12);
    auto text = run_process({zprov_bin, "status", journal});
    CHECK(text.out.find("expired   8") != std::string::npos);
    auto report = run_process({zprov_bin, "report", journal});
    CHECK(occurrences(report.out, ".example.com,expired,") == 8);
    stats = sim.stats();
    CHECK(stats["created"] == n);
    CHECK(stats["profiles_applied"] == 12);

    auto reinvite = env.zprov(sim, csv, {"--plan", "business", "--reinvite"});
    stats = sim.stats();
    CHECK(stats["deletes"] == 0); // an expired invitation needs no DELETE
    for (int i = 12; i < n; ++i) {
        const auto h = hire_of(i, tag);
        CAPTURE(h.email);
        CHECK(created_count(stats, h.email) == (mode == "new-id" ? 2 : 1));
    }
    s = journal_status(journal);
    if (mode == "new-id") {
        CHECK_MESSAGE(reinvite.exit_code == 0, reinvite.err);
        CHECK(stats["created"] == n + 8);
        CHECK(s["expired"] == 0);
        CHECK(s["users_pending"] == 8);
        CHECK(s["created"] == n);
        const auto users = users_by_email(sim);
        for (int i = 12; i < n; ++i) {
            const auto h = hire_of(i, tag);
            CHECK(users.at(h.email)["status"] == "pending");
            CHECK(users.at(h.email)["group"] == h.group); // the new invitation's group
        }
    } else {
        CHECK_MESSAGE(reinvite.exit_code == 0, reinvite.err);
        CHECK(stats["created"] == n);
        CHECK(s["expired"] == 8);
        CHECK(reinvite.err.find("web portal") != std::string::npos);
        auto why = run_process({zprov_bin, "report", journal});
        CHECK(why.out.find("Resend") != std::string::npos);
    }
    // Once each: another --reinvite run creates nobody again (new-id: they are pending now).
    const auto created = stats["created"];
    auto again = env.zprov(sim, csv, {"--plan", "business", "--reinvite"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    if (mode == "new-id")
        CHECK(sim.stats()["created"] == created);
    CHECK(sim.stats()["deletes"] == 0);
}
} // namespace

TEST_CASE("lifecycle (OpenAPI): 20 hires, 12 accept and get exactly their profiles, 8 expire "
          "after 31 days and --reinvite creates them again without a DELETE (a new id)") {
    twenty_hires_until_expiry("new-id");
}

TEST_CASE("lifecycle (OpenAPI): an expired invitation Zoom refuses to renew (409, then 1120) "
          "stays expired and the message points to the web portal's Resend") {
    twenty_hires_until_expiry("conflict");
}

TEST_CASE("lifecycle (OpenAPI): autoCreate users and an HR group change land in their group, "
          "the primary group right, whatever zoomsim does with group_id for active users") {
    for (const std::string rule : {"ignore", "replace", "add"}) {
        CAPTURE(rule);
        run_env env;
        zoomsim_server sim(env.dir, sim_args({"--active-group-id", rule}), &env.ca);
        const std::string tag = "auto" + rule;
        auto sheet = [&](const std::string& moved_group) {
            std::string csv = "Email,First Name,Last Name,Password,User Group,Department\n";
            for (int i = 0; i < 6; ++i) {
                const auto h = hire_of(i, tag);
                csv += h.email + ",Ann,Lee,Tr0ub4dor-3x!," + (i == 1 ? moved_group : h.group) +
                       ",Lab\n";
            }
            return csv;
        };
        auto csv = env.dir.file("hires.csv", sheet(hire_of(1, tag).group));
        const std::vector<std::string> args{"--plan", "business", "--action", "autoCreate"};
        auto first = env.zprov(sim, csv, args);
        REQUIRE_MESSAGE(first.exit_code == 0, first.err);
        auto users = users_by_email(sim);
        for (int i = 0; i < 6; ++i) {
            const auto h = hire_of(i, tag);
            CAPTURE(h.email);
            CHECK(users.at(h.email)["status"] == "active");
            CHECK(users.at(h.email)["groups"] == json::array({h.group}));
            CHECK(users.at(h.email)["primary_group"] == h.group);
            CHECK(users.at(h.email)["profile"]["dept"] == "Lab");
        }
        CHECK(sim.stats()["members_added"] == 6);

        // HR moves row 1 from its group to Legal: moved, Legal its primary, nothing else sent.
        {
            std::ofstream out(csv, std::ios::trunc);
            out << sheet("Legal");
        }
        const auto before = sim.stats();
        auto moved = env.zprov(sim, csv, args);
        CHECK_MESSAGE(moved.exit_code == 0, moved.err);
        users = users_by_email(sim);
        const auto h1 = hire_of(1, tag);
        CHECK(users.at(h1.email)["groups"] == json::array({"Legal"}));
        CHECK(users.at(h1.email)["primary_group"] == "Legal");
        const auto after = sim.stats();
        CHECK(after["member_moves"].get<int>() - before["member_moves"].get<int>() == 1);
        CHECK(after["patches"] == before["patches"]); // no group_id sent to an active user
        CHECK(after["members_added"] == before["members_added"]);
        auto again = env.zprov(sim, csv, args); // applied: nothing more
        CHECK_MESSAGE(again.exit_code == 0, again.err);
        CHECK(sim.stats()["member_moves"] == after["member_moves"]);
        CHECK(sim.stats()["lookups"] == after["lookups"]);
    }
}

TEST_CASE("lifecycle (OpenAPI): a granular token without user:update:user:admin on a sheet "
          "with HR columns ends 77 before any request, naming the scope (with --account-id the "
          ":master one)") {
    run_env env;
    oauth_credentials creds;
    for (const bool sub : {false, true}) {
        CAPTURE(sub);
        const std::string scopes =
            sub ? "user:write:user:master user:read:user:master user:read:list_users:master"
                : "user:write:user:admin user:read:user:admin user:read:list_users:admin";
        zoomsim_server sim(env.dir,
                           oauth_credentials::sim_args({"--scopes", scopes, "--sub-account",
                                                        "sub-9", "--groups", group_list}),
                           &env.ca);
        auto csv =
            env.dir.file(sub ? "sub.csv" : "own.csv", "Email,First Name,Last Name,Department\n"
                                                      "ann@scope.example.com,Ann,Lee,Lab\n");
        std::vector<std::string> args{"--plan", "business", "--oauth-url", sim.oauth_url()};
        if (sub) {
            args.push_back("--account-id");
            args.push_back("sub-9");
        }
        auto r = env.zprov(sim, csv, args);
        CHECK_MESSAGE(r.exit_code == 77, r.err);
        const std::string wanted = sub ? "user:update:user:master" : "user:update:user:admin";
        CHECK_MESSAGE(r.err.find("add " + wanted + " ") != std::string::npos, r.err);
        CHECK(r.err.find(sub ? "user:update:user:admin" : "user:update:user:master") ==
              std::string::npos);
        const auto stats = sim.stats();
        CHECK(stats["calls_by_operation"].empty()); // the token only: no API request
        CHECK(stats["requests_total"] == stats["token_grants"]);
    }
}

TEST_CASE("lifecycle (OpenAPI): list answers that are not well-formed lists mark nobody active, "
          "an endless page token ends with a warning, and the creates still go out" *
          doctest::test_suite("cli")) {
    const std::vector<std::pair<std::string, json>> lists{
        {"no users member",
         {{"status", 200}, {"body", {{"page_size", 300}, {"total_records", 0}}}}},
        {"an error's shape answered 200",
         {{"status", 200}, {"body", {{"code", 124}, {"message", "Invalid access token."}}}}},
        {"a page that omits the user",
         {{"status", 200},
          {"body", {{"users", json::array()}, {"total_records", 0}, {"next_page_token", ""}}}}},
        {"a page token that never ends",
         {{"status", 200},
          {"body",
           {{"users", json::array()}, {"total_records", 1}, {"next_page_token", "again"}}}}},
    };
    for (const auto& [what, list] : lists) {
        CAPTURE(what);
        temp_dir dir;
        scripted_server server(
            dir,
            {{"routes",
              {{{"method", "GET"}, {"path", "/v2/users?status=pending"}, {"answers", {list}}},
               {{"method", "GET"},
                {"path", "/v2/users/"},
                {"answers",
                 {{{"status", 200},
                   {"body",
                    {{"id", "U1"}, {"email", "ann@list.example.com"}, {"status", "pending"}}}}}}},
               {{"method", "POST"},
                {"path", "/v2/users"},
                {"answers", {zoom_created("U1"), zoom_created("U2")}}},
               {{"method", "PATCH"}, {"path", "/v2/users/"}, {"answers", {{{"status", 204}}}}}}}});
        auto csv = dir.file("hires.csv", "Email,First Name,Last Name,Department\n"
                                         "ann@list.example.com,Ann,Lee,Lab\n");
        auto first = run_against(server.base_url(), csv);
        REQUIRE_MESSAGE(first.exit_code == 0, first.err);
        {
            std::ofstream out(csv, std::ios::app);
            out << "bob@list.example.com,Bob,Ray,Lab\n";
        }
        auto second = run_against(server.base_url(), csv);
        CHECK_MESSAGE(second.exit_code == 0, second.err);
        int posts = 0, patches = 0, lists_read = 0;
        for (const auto& r : server.requests()) {
            posts += r["method"] == "POST";
            patches += r["method"] == "PATCH";
            lists_read += r["path"].get<std::string>().starts_with("/v2/users?status=pending");
        }
        CHECK(posts == 2);   // bob's create went out
        CHECK(patches == 0); // ann's profile was not sent: nobody taken for active
        CHECK(lists_read <= 2);
        auto s = journal_status(csv + ".journal");
        CHECK(s["users_active"] == 0);
        CHECK(s["users_pending"] == 2);
        if (what != "a page that omits the user")
            CHECK_MESSAGE(second.err.find("nobody is taken to have accepted") != std::string::npos,
                          second.err);
    }
}

TEST_SUITE_END();
