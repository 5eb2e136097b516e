// Truthful outcomes: what zprov records must be true of the Zoom account, not only of the
// answer. A 409 is looked up (exists here, or elsewhere); account problems stop the run
// instead of rejecting every row; seats run out per user type. Real zprov against real
// zoomsim over TLS, or against the scripted server for answers zoomsim never gives.
#include "support/process.hpp"
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace zprov::test;
using nlohmann::json;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();

std::size_t count_method(const scripted_server& server, const std::string& method) {
    std::size_t n = 0;
    for (const auto& r : server.requests())
        n += r["method"] == method;
    return n;
}

json posts_answer(const json& answer) {
    return {{"routes", {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", {answer}}}}}};
}

json read_json_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("truth: 5 addresses of another Zoom account are elsewhere, the rest created or exists, "
          "exit 1") {
    run_env env;
    auto elsewhere = env.dir.file("elsewhere.txt", "user2@other.example.com\n"
                                                   "user5@other.example.com\n"
                                                   "user8@other.example.com\n"
                                                   "user11@other.example.com\n"
                                                   "USER14@other.example.com\n");
    auto existing = env.dir.file("existing.txt", "user3@other.example.com\n");
    zoomsim_server sim(
        env.dir,
        {"--access-token", run_env::token, "--elsewhere", elsewhere, "--existing", existing},
        &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(20, "other"));
    auto r = env.zprov(sim, csv);
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    CHECK(r.err.find("5 users of another Zoom account") != std::string::npos);
    CHECK(r.err.find("add existing users") != std::string::npos);
    auto stats = sim.stats();
    CHECK(stats["created"] == 14);
    CHECK(stats["lookups"] == 6); // every 409 is looked up, nothing else

    auto s = journal_status(csv + ".journal");
    CHECK(s["elsewhere"] == 5);
    CHECK(s["exists"] == 1);
    CHECK(s["created"] == 14);
    CHECK(s["rejected"] == 0);
    CHECK(s["in_doubt"] == 0);

    auto report = run_process({zprov_bin, "report", csv + ".journal"});
    CHECK(report.out.find("user2@other.example.com,elsewhere,") != std::string::npos);
    CHECK(report.out.find(",active,,\r\n") != std::string::npos); // the existing user's status
    auto failed = run_process({zprov_bin, "report", csv + ".journal", "--failed-only"});
    for (int i : {2, 5, 8, 11, 14})
        CHECK(failed.out.find("user" + std::to_string(i) + "@other.example.com,") !=
              std::string::npos);
    CHECK(failed.out.find(",elsewhere,") != std::string::npos);

    auto again = env.zprov(sim, csv); // a nightly rerun: still not done, nothing sent
    CHECK_MESSAGE(again.exit_code == 1, again.err);
    CHECK(requests_but_lists(sim.stats()) == requests_but_lists(stats));
}

TEST_CASE("truth: a 409 to the resend of an unanswered create, for a user Zoom made after it, "
          "is created by this import") {
    run_env env;
    auto existing = env.dir.file("existing.txt", "user0@doubt.example.com\n");
    // Every create is made, then the connection closes unanswered: the resend gets 409.
    zoomsim_server sim(
        env.dir,
        {"--access-token", run_env::token, "--commit-drop-rate", "1", "--existing", existing},
        &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(5, "doubt"));
    auto r = env.zprov(sim, csv, {"--concurrency", "2"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 4);
    CHECK(s["exists"] == 1); // made before the import: a 409 with no request in doubt
    for (int i = 1; i < 5; ++i)
        CHECK(created_count(sim.stats(), "user" + std::to_string(i) + "@doubt.example.com") == 1);
}

TEST_CASE("truth: 400/1009 (active in another account) is elsewhere, never rejected" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    scripted_server server(dir, posts_answer(zoom_error(400, 1009,
                                                        "The user already holds an "
                                                        "active account.")));
    auto csv = dir.file("users.csv", users_csv(2, "active"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    auto s = journal_status(csv + ".journal");
    CHECK(s["elsewhere"] == 2);
    CHECK(s["rejected"] == 0);
}

TEST_CASE("truth: a lookup Zoom refuses for want of a scope stops with 77, the row pending" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    json script{{"routes",
                 {{{"method", "POST"},
                   {"path", "/v2/users"},
                   {"answers", {zoom_error(409, 1005, "Email has already been used.")}}},
                  {{"method", "GET"},
                   {"path", "/v2/users/"},
                   {"answers",
                    {zoom_error(400, 4711,
                                "Invalid access token, does not "
                                "contain scopes:[user:read:user:admin]")}}}}}};
    scripted_server server(dir, script);
    auto csv = dir.file("users.csv", users_csv(3, "scope"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 77, r.err);
    CHECK(r.err.find("user:read:user:admin") != std::string::npos);
    CHECK(count_method(server, "GET") == 1);
    auto requests = server.requests();
    CHECK(requests.back()["path"] == "/v2/users/user0%40scope.example.com");
    auto s = journal_status(csv + ".journal");
    CHECK(s["exists"] == 0);
    CHECK(s["in_doubt"] == 0);
}

TEST_CASE("truth: account refusals stop the run with 77 after one request, naming the fix" *
          doctest::test_suite("cli")) {
    const std::vector<std::pair<json, std::string>> cases{
        {zoom_error(400, 4700, "Invalid access token, does not contain scopes."),
         "user:write:user:admin"},
        {zoom_error(401, 4711, "Invalid access token, does not contain scopes."),
         "user:write:admin"},
        {zoom_error(400, 2002, "SSO is not enabled."), "SSO"},
        {zoom_error(400, 2032, "Pre-provisioning is not enabled."), "pre-provisioning"},
        {zoom_error(400, 2035, "This account cannot add users."), "may not add users"},
        {zoom_error(403, 2016, "No permission."), "may not add users"},
    };
    for (const auto& [answer, fix] : cases) {
        CAPTURE(answer.dump());
        temp_dir dir;
        scripted_server server(dir, posts_answer(answer));
        auto csv = dir.file("users.csv", users_csv(6, "account"));
        auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
        CHECK_MESSAGE(r.exit_code == 77, r.err);
        CHECK(r.err.find(fix) != std::string::npos);
        CHECK(count_method(server, "POST") == 1);
        auto s = journal_status(csv + ".journal");
        CHECK(s["rejected"] == 0);
        CHECK(s["in_doubt"] == 0);
    }
}

TEST_CASE("truth: Zoom calling the body malformed is zprov's own fault: exit 70" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    scripted_server server(
        dir, posts_answer(zoom_error(400, 300, "Request Body should be a valid JSON object.")));
    auto csv = dir.file("users.csv", users_csv(4, "malformed"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 70, r.err);
    CHECK(r.err.find("zprov's own fault") != std::string::npos);
    CHECK(count_method(server, "POST") == 1);
    CHECK(journal_status(csv + ".journal")["rejected"] == 0);
}

TEST_CASE("truth: the same code on 5 distinct rows in a row stops the run" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    scripted_server server(dir, posts_answer(zoom_error(400, 1107, "Email domain is blocked.")));
    auto csv = dir.file("users.csv", users_csv(12, "breaker"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 77, r.err);
    CHECK(r.err.find("5 rows in a row with the same code 1107") != std::string::npos);
    CHECK(count_method(server, "POST") == 5);
    CHECK(journal_status(csv + ".journal")["rejected"] == 5);
}

TEST_CASE("truth: 10 licensed seats, 30 Licensed and 30 Basic rows: 10 + 30 created, 20 "
          "Licensed pending, exit 77, no row rejected") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--licensed-seats", "10"},
                       &env.ca);
    std::string text = "Email,First Name,Last Name,User Type\n";
    for (int i = 0; i < 60; ++i)
        text += "user" + std::to_string(i) + "@seats.example.com,F,L," +
                (i % 2 ? "Basic" : "Licensed") + "\n";
    auto csv = env.dir.file("users.csv", text);
    auto summary = env.dir.path() + "/summary.json";
    auto r = env.zprov(sim, csv, {"--summary-json", summary});
    CHECK_MESSAGE(r.exit_code == 77, r.err);
    CHECK(r.err.find("no seats left for Licensed users") != std::string::npos);
    auto stats = sim.stats();
    CHECK(stats["users_total"] == 40);
    CHECK(stats["licensed_users"] == 10);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 40);
    CHECK(s["rejected"] == 0);
    CHECK(s["in_doubt"] == 0);
    auto this_run = read_json_file(summary)["this_run"];
    CHECK(this_run["pending"] == 20);
    CHECK(this_run["created"] == 40);
}

TEST_CASE("truth: a token without a create scope exits 77 before any POST /users, naming both "
          "kinds of scope, OAuth fields go in the body only") {
    run_env env;
    oauth_credentials credentials;
    const auto oauth = oauth_credentials::sim_args();
    {
        auto args = oauth;
        args.insert(args.end(), {"--scopes", "user:read:admin user:read:user:admin"});
        zoomsim_server sim(env.dir, args, &env.ca);
        auto csv = env.dir.file("users.csv", users_csv(5, "scopes"));
        auto r = env.zprov(sim, csv, {"--oauth-url", sim.oauth_url()});
        CHECK_MESSAGE(r.exit_code == 77, r.err);
        CHECK(r.err.find("user:write:admin") != std::string::npos);
        CHECK(r.err.find("user:write:user:admin") != std::string::npos);
        auto stats = sim.stats();
        CHECK(stats["token_grants"] == 1);
        CHECK(stats["requests_total"] == 1); // the token request, and no POST /users
        CHECK(stats["oauth_query_fields"] == 0);
    }
    {
        auto args = oauth;
        // Granular: the create, the lookup, and (the sheet has a profile column, action create
        // follows invitations) the update and the list of pending users.
        args.insert(args.end(), {"--scopes", "user:write:user:admin user:read:user:admin "
                                             "user:update:user:admin user:read:list_users:admin"});
        zoomsim_server sim(env.dir, args, &env.ca);
        auto csv = env.dir.file("granular.csv", users_csv(3, "granular"));
        auto r = env.zprov(sim, csv, {"--oauth-url", sim.oauth_url()});
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK(sim.stats()["created"] == 3);
    }
}

TEST_CASE("truth: type 99 (None), struck out in Zoom's schema, is refused by validate and run, "
          "nothing is sent for it") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto csv = env.dir.file("users.csv", "Email,First Name,Last Name,User Type\n"
                                         "a@none.example.com,A,A,Basic\n"
                                         "b@none.example.com,B,B,99\n"
                                         "c@none.example.com,C,C,None\n");
    auto checked = run_process({zprov_bin, "validate", csv, "--action", "ssoCreate"});
    CHECK_MESSAGE(checked.exit_code == 1, checked.err);
    CHECK(occurrences(checked.out + checked.err, "99 (None) is deprecated in Zoom's API") == 2);

    auto r = env.zprov(sim, csv, {"--action", "ssoCreate"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    auto stats = sim.stats();
    CHECK(stats["requests_total"] == 1);
    CHECK(stats["created"] == 1);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 1);
    CHECK(s["invalid"] == 2);
    auto failed = run_process({zprov_bin, "report", csv + ".journal", "--failed-only"});
    CHECK(occurrences(failed.out, "is deprecated in Zoom's API") == 2);
}

TEST_CASE("truth: invited users stay pending until /_sim/activate, a later 409 records Zoom's "
          "status for each") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto first = env.dir.file("first.csv", users_csv(4, "invite"));
    auto r = env.zprov(sim, first);
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(sim.stats()["pending_users"] == 4); // action create: each waits for its invitation

    auto answer = sim.activate(
        {{"emails",
          {"user1@invite.example.com", "USER2@invite.example.com", "nobody@invite.example.com"}}});
    CHECK(answer == nlohmann::json{{"activated", 2}});
    CHECK(sim.stats()["pending_users"] == 2);

    // Another sheet with the same people: each 409 is looked up and Zoom's status recorded.
    auto again = env.dir.file("again.csv", users_csv(4, "invite"));
    auto second = env.zprov(sim, again);
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    CHECK(journal_status(again + ".journal")["exists"] == 4);
    auto report = run_process({zprov_bin, "report", again + ".journal"}).out;
    auto status_of = [&report](const std::string& email) {
        auto at = report.find(email + ",exists,");
        REQUIRE(at != std::string::npos);
        auto end = report.find("\r\n", at);
        auto line = report.substr(at, end - at);
        line.erase(line.rfind(',')); // profile_step
        line.erase(line.rfind(',')); // group_step
        return line.substr(line.rfind(',') + 1);
    };
    CHECK(status_of("user0@invite.example.com") == "pending");
    CHECK(status_of("user1@invite.example.com") == "active");
    CHECK(status_of("user2@invite.example.com") == "active");
    CHECK(status_of("user3@invite.example.com") == "pending");

    CHECK(sim.activate({{"all", true}}) == nlohmann::json{{"activated", 2}});
    CHECK(sim.stats()["pending_users"] == 0);
}

TEST_SUITE_END();
