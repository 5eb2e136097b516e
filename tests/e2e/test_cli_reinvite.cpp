// Invitations that may have expired, against a real zoomsim following Zoom's OpenAPI (no ids
// in the pending list): users made with `create` that are still pending long after their
// create are listed by `status` (--stale-after), and `run --reinvite` deletes them (DELETE
// /users/{id}?action=disassociate of the id the journal's create recorded, after a GET says it
// is still pending) and creates them again, after the sheet's new rows, at most
// --max-reinvites a run, exactly once across kills, faults and users accepting meanwhile.
// Time is moved with faketime on zprov (the journal's times are zprov's) and, where the test
// says so, with POST /_sim/advance on zoomsim.
#include "e2e/stale_accounts.hpp"
#include "support/process.hpp"
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

using namespace zprov::test;
using namespace zprov::test::reinvite;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();
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

TEST_SUITE_END();
