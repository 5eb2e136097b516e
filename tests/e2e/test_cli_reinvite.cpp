// Invitations that may have expired, against a real zoomsim following Zoom's OpenAPI (no ids
// in the pending list): users made with `create` that are still pending long after their
// create are listed by `status` (--stale-after), and `run --reinvite` deletes them (DELETE
// /users/{id}?action=disassociate of the id the journal's create recorded, after a GET says it
// is still pending) and creates them again, after the sheet's new rows, at most
// --max-reinvites a run, exactly once across kills, faults and users accepting meanwhile.
// Time is moved with faketime on zprov (the journal's times are zprov's) and, where the test
// says so, with POST /_sim/advance on zoomsim.
#include "support/process.hpp"
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

using namespace zprov::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();

std::string user_email(int i, const std::string& tag) {
    return "user" + std::to_string(i) + "@" + tag + ".example.com";
}

// Creates users 0..n-1 (pending), activates the first `active` in zoomsim and reruns so that
// the journal records them active.
void created_then_some_accepted(const run_env& env, const zoomsim_server& sim,
                                const std::string& csv, int active, const std::string& tag) {
    auto first = env.zprov(sim, csv);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    json emails = json::array();
    for (int i = 0; i < active; ++i)
        emails.push_back(user_email(i, tag));
    REQUIRE(sim.activate({{"emails", emails}})["activated"] == active);
    auto second = env.zprov(sim, csv);
    REQUIRE_MESSAGE(second.exit_code == 0, second.err);
}

// zoomsim and a sheet of n users, all created by a first run; `active` of them (the first)
// accept and a second run records it.
struct stale_account {
    run_env env;
    zoomsim_server sim;
    std::string tag, csv, journal;
    stale_account(const std::string& tag_, int n, int active,
                  std::vector<std::string> sim_args = {})
        : sim(env.dir, with_token(std::move(sim_args)), &env.ca), tag(tag_),
          csv(env.dir.file("users.csv", users_csv(n, tag_))), journal(csv + ".journal") {
        created_then_some_accepted(env, sim, csv, active, tag);
    }
    static std::vector<std::string> with_token(std::vector<std::string> args) {
        args.insert(args.begin(), {"--access-token", run_env::token});
        return args;
    }
};

std::vector<std::string> reinvite_argv(const run_env& env, const zoomsim_server& sim,
                                       const std::string& csv, std::vector<std::string> more) {
    more.insert(more.begin(), "--reinvite");
    return under_faketime("+26d", env.argv(sim, csv, more));
}

// By zoomsim's record: users `active` (indices) never deleted and created once; the others
// deleted `deleted` times and created `deleted` + 1 times; every user there once, the
// re-invited ones pending.
void check_reinvited(const zoomsim_server& sim, int n, const std::string& tag,
                     const std::set<int>& active, const std::set<int>& reinvited) {
    const auto stats = sim.stats();
    const auto users = users_by_email(sim);
    for (int i = 0; i < n; ++i) {
        const auto email = user_email(i, tag);
        CAPTURE(email);
        REQUIRE(users.contains(email));
        const auto& deletions = stats["deletions_by_email"];
        const int deleted = deletions.contains(email) ? deletions[email].get<int>() : 0;
        CHECK(deleted == (reinvited.contains(i) ? 1 : 0));
        CHECK(created_count(stats, email) == 1 + deleted);
        CHECK(users.at(email)["status"] == (active.contains(i) ? "active" : "pending"));
    }
    CHECK(stats["deletes"] == static_cast<int>(reinvited.size()));
    CHECK(stats["deletes_of_pending"] == static_cast<int>(reinvited.size()));
    CHECK(stats["delete_misses"] == 0);
}

// kill -9 of zprov run under faketime (env(1) has exec'd it: the process is zprov).
void kill_under_faketime(background_process& p) {
    p.kill();
    p.wait(5s);
}

// The user ids this journal's creates recorded (outcome records "created").
std::set<std::string> created_ids(const std::string& journal) {
    std::set<std::string> ids;
    std::istringstream lines(slurp(journal));
    for (std::string line; std::getline(lines, line);) {
        auto r = json::parse(line, nullptr, false);
        if (r.is_object() && r.value("type", "") == "outcome" &&
            r.value("outcome", "") == "created" && r.contains("id"))
            ids.insert(r["id"].get<std::string>());
    }
    return ids;
}

// Every id zoomsim saw deleted is one this journal created.
void only_own_ids_deleted(const zoomsim_server& sim, const std::string& journal) {
    const auto own = created_ids(journal);
    const auto stats = sim.stats(); // named: items() of a temporary's member would dangle
    for (const auto& [id, times] : stats["deletions_by_id"].items()) {
        CAPTURE(id);
        CHECK(own.contains(id));
        CHECK(times == 1);
    }
}

json status_at(const std::string& when, const std::string& journal,
               std::vector<std::string> more = {}) {
    std::vector<std::string> argv{zprov_bin, "status", journal, "--json"};
    argv.insert(argv.end(), more.begin(), more.end());
    auto r = run_process(under_faketime(when, argv));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return json::parse(r.out);
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("reinvite: status lists the users still pending more than --stale-after days after "
          "their create, accepted users are not listed") {
    stale_account a("stale", 6, 2);

    auto now = journal_status(a.journal);
    CHECK(now["stale_invitations"] == 0);
    CHECK(now["stale_users"].empty());

    auto later = status_at("+26d", a.journal);
    CHECK(later["stale_invitations"] == 4);
    std::set<std::string> listed;
    for (const auto& u : later["stale_users"]) {
        listed.insert(u["email"].get<std::string>());
        CHECK(u["created"].get<std::string>().size() == 20); // 2026-11-28T10:00:00Z
    }
    CHECK(listed == std::set<std::string>{user_email(2, a.tag), user_email(3, a.tag),
                                          user_email(4, a.tag), user_email(5, a.tag)});
    CHECK(status_at("+26d", a.journal, {"--stale-after", "30"})["stale_invitations"] == 0);
    CHECK(status_at("+31d", a.journal, {"--stale-after", "30"})["stale_invitations"] == 4);

    auto text = run_process(under_faketime("+26d", {zprov_bin, "status", a.journal}));
    CHECK(text.out.find("Stale invitations: 4 users created more than 25 days ago") !=
          std::string::npos);
    CHECK(text.out.find(user_email(5, a.tag)) != std::string::npos);
    CHECK(text.out.find(user_email(0, a.tag) + " ") == std::string::npos);

    auto refused = run_process({zprov_bin, "status", a.journal, "--stale-after", "0"});
    CHECK(refused.exit_code != 0);
}

TEST_CASE("reinvite: run --reinvite --max-reinvites 3 deletes and creates again 3 of the 4 stale "
          "users after the sheet's new rows, the next run the 4th, accepted users untouched") {
    stale_account a("re", 6, 2);

    auto first = run_process(reinvite_argv(a.env, a.sim, a.csv, {"--max-reinvites", "3"}));
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    CHECK(first.err.find("3 stale invitations sent again") != std::string::npos);
    check_reinvited(a.sim, 6, a.tag, {0, 1}, {2, 3, 4});
    auto s = status_at("+26d", a.journal);
    CHECK(s["stale_invitations"] == 1); // the three re-invited are new invitations
    CHECK(s["stale_users"][0]["email"] == user_email(5, a.tag));
    CHECK(s["users_pending"] == 4);
    CHECK(s["users_active"] == 2);
    CHECK(s["created"] == 6);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["reinvited"] == 3);

    // A new hire joins the sheet: it is taken before the re-invite (one worker: the journal's
    // order is the order rows were taken in).
    {
        std::ofstream out(a.csv, std::ios::trunc);
        out << users_csv(7, a.tag);
    }
    auto second = run_process(
        reinvite_argv(a.env, a.sim, a.csv, {"--max-reinvites", "3", "--concurrency", "1"}));
    REQUIRE_MESSAGE(second.exit_code == 0, second.err);
    check_reinvited(a.sim, 6, a.tag, {0, 1}, {2, 3, 4, 5});
    CHECK(created_count(a.sim.stats(), user_email(6, a.tag)) == 1);
    const auto text = slurp(a.journal);
    const auto new_hire = text.find(user_email(6, a.tag));
    const auto reinvite = text.find(R"("type":"reinvite")", text.rfind(user_email(4, a.tag)));
    REQUIRE(new_hire != std::string::npos);
    REQUIRE(reinvite != std::string::npos);
    CHECK(new_hire < reinvite);
    CHECK(status_at("+26d", a.journal)["stale_invitations"] == 0);

    // Nothing stale is left: a third run deletes nothing.
    auto third = run_process(reinvite_argv(a.env, a.sim, a.csv, {}));
    REQUIRE_MESSAGE(third.exit_code == 0, third.err);
    check_reinvited(a.sim, 6, a.tag, {0, 1}, {2, 3, 4, 5});
}

TEST_CASE("reinvite: --max-reinvites 0 deletes nothing, without --reinvite nothing either") {
    stale_account a("none", 3, 0);
    auto none = run_process(reinvite_argv(a.env, a.sim, a.csv, {"--max-reinvites", "0"}));
    REQUIRE_MESSAGE(none.exit_code == 0, none.err);
    auto plain = run_process(under_faketime("+26d", a.env.argv(a.sim, a.csv)));
    REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
    CHECK(a.sim.stats()["deletes"] == 0);
    CHECK(a.sim.stats()["created"] == 3);
    CHECK(status_at("+26d", a.journal)["stale_invitations"] == 3);
}

TEST_CASE("reinvite: kill -9 at each point of a --reinvite run - no user deleted twice or "
          "created more than once again, the accepted ones untouched") {
    stale_account a("k9", 6, 2, {"--latency-ms", "150"});
    const std::vector<std::string> args{"--concurrency", "2"};
    // Killed once Zoom has acted on a DELETE and before its answer arrived (150 ms later):
    // the DELETE is in doubt, and the next run finds the user gone by asking Zoom.
    {
        background_process p(reinvite_argv(a.env, a.sim, a.csv, args));
        REQUIRE(wait_until([&] { return a.sim.stats()["deletes"] >= 1; }, 20s));
        kill_under_faketime(p);
    }
    const auto text = slurp(a.journal);
    CHECK(occurrences(text, R"("phase":"intent")") > occurrences(text, R"("phase":"deleted")"));
    // Then killed once the journal grew by 1, 2, 3, ... lines: every record of the run in
    // turn is the last one before a kill (a DELETE's intent, its outcome, a create's intent).
    for (std::size_t more = 1; more <= 12; ++more) {
        const auto before = occurrences(slurp(a.journal), "\n");
        background_process p(reinvite_argv(a.env, a.sim, a.csv, args));
        wait_until(
            [&] { return !p.running() || occurrences(slurp(a.journal), "\n") >= before + more; },
            20s);
        kill_under_faketime(p);
    }
    auto done = run_process(reinvite_argv(a.env, a.sim, a.csv, args));
    REQUIRE_MESSAGE(done.exit_code == 0, done.err);
    check_reinvited(a.sim, 6, a.tag, {0, 1}, {2, 3, 4, 5});
    CHECK(a.sim.stats()["lookups"] >= 1); // a DELETE in doubt was settled by asking
    auto s = status_at("+26d", a.journal);
    CHECK(s["stale_invitations"] == 0);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["users_pending"] == 4);
    CHECK(s["reinvited"] == 4);
}

TEST_CASE("reinvite: a DELETE answered 404/1001 (the user deleted in Zoom by someone else) is "
          "journaled as gone, the row is not created again nor deleted again" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const json pending_list = {
        {"status", 200},
        {"body",
         {{"users", {{{"id", "U1"}, {"email", "gone@x.example.com"}, {"status", "pending"}}}},
          {"next_page_token", ""}}}};
    const json pending_user = {
        {"status", 200},
        {"body", {{"id", "U1"}, {"email", "gone@x.example.com"}, {"status", "pending"}}}};
    scripted_server server(
        dir, {{"routes",
               {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("U1")}}},
                {{"method", "GET"}, {"path", "/v2/users/U1"}, {"answers", {pending_user}}},
                {{"method", "GET"}, {"path", "/v2/users"}, {"answers", {pending_list}}},
                {{"method", "DELETE"},
                 {"path", "/v2/users/U1"},
                 {"answers", {zoom_error(404, 1001, "User does not exist: U1.")}}}}}});
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\ngone@x.example.com,Ann,Lee\n");
    auto count = [&](const std::string& method) {
        int n = 0;
        for (const auto& r : server.requests())
            n += r["method"] == method;
        return n;
    };
    REQUIRE(run_against(server.base_url(), csv).exit_code == 0);
    for (int run = 0; run < 2; ++run) {
        auto r = run_process(
            under_faketime("+26d", argv_against(server.base_url(), csv, {"--reinvite"})));
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        if (run == 0)
            CHECK(r.err.find("the user no longer exists in Zoom") != std::string::npos);
    }
    CHECK(count("POST") == 1);
    CHECK(count("DELETE") == 1);
    auto s = status_at("+26d", csv + ".journal");
    CHECK(s["users_gone"] == 1);
    CHECK(s["stale_invitations"] == 0);
    CHECK(s["reinvited"] == 0);
}

namespace {
// zoomsim's calendar moved 26 days too, as zprov's (faketime): invitations 26 days old,
// not yet expired.
void advance_26_days(const zoomsim_server& sim) {
    sim.control("advance", {{"days", 26}});
}
} // namespace

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

TEST_CASE("reinvite: a DELETE in doubt is shown by status and settled by the next run even when "
          "its row has left the sheet" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const json pending_list = {
        {"status", 200},
        {"body",
         {{"users", {{{"email", "left@x.example.com"}, {"status", "pending"}}}},
          {"next_page_token", ""}}}};
    const json pending_user = {
        {"status", 200},
        {"body", {{"id", "U1"}, {"email", "left@x.example.com"}, {"status", "pending"}}}};
    const json down = {{"status", 503}, {"body", "down"}};
    scripted_server server(
        dir,
        {{"routes",
          {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("U1")}}},
           {{"method", "GET"},
            {"path", "/v2/users/U1"},
            {"answers",
             {pending_user, down, down, down, zoom_error(404, 1001, "User does not exist: U1.")}}},
           {{"method", "GET"}, {"path", "/v2/users"}, {"answers", {pending_list}}},
           {{"method", "DELETE"},
            {"path", "/v2/users/U1"},
            {"answers", {{{"raw", ""}, {"close", true}}}}}}}});
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\nleft@x.example.com,Ann,Lee\n");
    const auto journal = csv + ".journal";
    REQUIRE(run_against(server.base_url(), csv).exit_code == 0);
    // The DELETE's answer is lost and Zoom cannot be asked (503s): in doubt.
    auto first = run_process(under_faketime(
        "+26d", argv_against(server.base_url(), csv, {"--reinvite", "--max-attempts", "1"})));
    CHECK(first.exit_code == 69);
    CHECK(first.err.find("in doubt") != std::string::npos);
    auto s = status_at("+26d", journal);
    CHECK(s["deletes_in_doubt"] == 1);
    CHECK(s["deletes_in_doubt_users"][0]["email"] == "left@x.example.com");
    CHECK(s["deletes_in_doubt_users"][0]["id"] == "U1");
    auto text = run_process({zprov_bin, "status", journal});
    CHECK(text.out.find("Re-invites in doubt: 1") != std::string::npos);
    // The row leaves the sheet; the next run (without --reinvite) asks Zoom: 404/1001, the
    // DELETE acted. Nothing is created (the sheet no longer asks for the user).
    {
        std::ofstream out(csv, std::ios::trunc);
        out << "Email,First Name,Last Name\nother@x.example.com,Bo,Yu\n";
    }
    auto second = run_process(under_faketime("+26d", argv_against(server.base_url(), csv)));
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    s = status_at("+26d", journal);
    CHECK(s["deletes_in_doubt"] == 0);
    CHECK(s["reinvited"] == 1);
    int creates = 0, deletes = 0;
    for (const auto& req : server.requests()) {
        creates += req["method"] == "POST" &&
                   req["body"].get<std::string>().find("left@") != std::string::npos;
        deletes += req["method"] == "DELETE";
    }
    CHECK(creates == 1);
    CHECK(deletes == 1);
}

TEST_CASE("reinvite: a re-create answered 409 whose lookup names the id just deleted (the DELETE "
          "landing late) is not `exists`: zprov waits until Zoom agrees and creates it again" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const json pending_list = {
        {"status", 200},
        {"body",
         {{"users", {{{"email", "late@x.example.com"}, {"status", "pending"}}}},
          {"next_page_token", ""}}}};
    const json pending_user = {
        {"status", 200},
        {"body", {{"id", "U1"}, {"email", "late@x.example.com"}, {"status", "pending"}}}};
    scripted_server server(
        dir,
        {{"routes",
          {{{"method", "POST"},
            {"path", "/v2/users"},
            {"answers",
             {zoom_created("U1"), zoom_error(409, 1005, "User already in the account: late"),
              zoom_created("U2")}}},
           {{"method", "GET"},
            {"path", "/v2/users/U1"},
            {"answers",
             {pending_user, pending_user, zoom_error(404, 1001, "User does not exist: U1.")}}},
           {{"method", "GET"}, {"path", "/v2/users/late"}, {"answers", {pending_user}}},
           {{"method", "GET"}, {"path", "/v2/users"}, {"answers", {pending_list}}},
           {{"method", "DELETE"}, {"path", "/v2/users/U1"}, {"answers", {{{"status", 204}}}}}}}});
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\nlate@x.example.com,Ann,Lee\n");
    REQUIRE(run_against(server.base_url(), csv).exit_code == 0);
    auto r =
        run_process(under_faketime("+26d", argv_against(server.base_url(), csv, {"--reinvite"})));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    int creates = 0, deletes = 0;
    for (const auto& req : server.requests()) {
        creates += req["method"] == "POST";
        deletes += req["method"] == "DELETE";
    }
    CHECK(creates == 3);
    CHECK(deletes == 1);
    auto s = status_at("+26d", csv + ".journal");
    CHECK(s["created"] == 1);
    CHECK(s["exists"] == 0);
    CHECK(s["reinvited"] == 1);
    CHECK(slurp(csv + ".journal").find(R"("id":"U2")") != std::string::npos);
}

TEST_CASE("reinvite: a DELETE Zoom refuses is said without -v and ends the run 69, the summary "
          "counts each request written" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const json pending_list = {
        {"status", 200},
        {"body",
         {{"users", {{{"email", "no@x.example.com"}, {"status", "pending"}}}},
          {"next_page_token", ""}}}};
    const json pending_user = {
        {"status", 200},
        {"body", {{"id", "U1"}, {"email", "no@x.example.com"}, {"status", "pending"}}}};
    scripted_server server(
        dir, {{"routes",
               {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("U1")}}},
                {{"method", "GET"},
                 {"path", "/v2/users/U1"},
                 {"answers", {{{"status", 503}, {"body", "busy"}}, pending_user}}},
                {{"method", "GET"}, {"path", "/v2/users"}, {"answers", {pending_list}}},
                {{"method", "DELETE"},
                 {"path", "/v2/users/U1"},
                 {"answers", {zoom_error(400, 300, "Cannot disassociate this user.")}}}}}});
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\nno@x.example.com,Ann,Lee\n");
    REQUIRE(run_against(server.base_url(), csv).exit_code == 0);
    const auto summary = dir.path() + "/summary.json";
    auto r = run_process(under_faketime(
        "+26d", argv_against(server.base_url(), csv, {"--reinvite", "--summary-json", summary})));
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("no@x.example.com: not re-invited: the DELETE was refused") !=
          std::string::npos);
    CHECK(r.err.find("1 stale invitations were not sent again") != std::string::npos);
    // 2 GETs of the user (a 503, then pending) and 1 DELETE: attempts, not calls.
    const auto sent = json::parse(slurp(summary));
    CHECK(sent["requests"] == 3);
    CHECK(sent["this_run"]["reinvites_failed"] == 1);
}

TEST_SUITE_END();
