// zprov against a scripted server: answers zoomsim never gives, and what zprov does with
// them, asserted on the requests the server received and on the journal. Signals during a
// held answer are test_cli_answers_signals.cpp.
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace zprov::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("cli");

TEST_CASE("answers: 403 and 400/200 refuse the account: exit 77 after one request, rows pending") {
    for (const auto& refusal :
         {zoom_error(403, 0, "Forbidden"), zoom_error(400, 200, "No privilege.")}) {
        CAPTURE(refusal.dump());
        temp_dir dir;
        scripted_server server(dir, script_creates(refusal));
        auto csv = dir.file("users.csv", users_csv(5, "refused"));
        auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
        CHECK_MESSAGE(r.exit_code == 77, r.err);
        CHECK(r.err.find("for the account, not the row") != std::string::npos);
        CHECK(posts_received(server) == 1);
        auto s = journal_status(csv + ".journal");
        CHECK(s["rejected"] == 0);
        CHECK(s["in_doubt"] == 0);
        CHECK(s["created"] == 0);
    }
}

TEST_CASE("answers: a refused static token exits 77 and rejects no row") {
    temp_dir dir;
    scripted_server server(dir, script_creates(zoom_error(401, 124, "Invalid access token.")));
    auto csv = dir.file("users.csv", users_csv(4, "token"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 77, r.err);
    CHECK(r.err.find("refused the access token") != std::string::npos);
    CHECK(posts_received(server) == 1);
    auto s = journal_status(csv + ".journal");
    CHECK(s["rejected"] == 0);
    CHECK(s["failed"] == 0);
    CHECK(s["in_doubt"] == 0);
}

TEST_CASE("answers: an outage (every answer 503) exits 69 after three rows fail") {
    temp_dir dir;
    scripted_server server(dir, script_creates(zoom_error(503, 0, "Service Unavailable")));
    auto csv = dir.file("users.csv", users_csv(10, "outage"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1", "--max-attempts", "2"});
    CHECK_MESSAGE(r.exit_code == 69, r.err);
    CHECK(r.err.find("Zoom unreachable or failing") != std::string::npos);
    CHECK(posts_received(server) == 6); // three rows, two attempts each
    auto s = journal_status(csv + ".journal");
    CHECK(s["failed"] == 3);
    CHECK(s["in_doubt"] == 0);
}

TEST_CASE("answers: a per-second 429 with Retry-After in seconds is waited out, then retried") {
    temp_dir dir;
    scripted_server server(
        dir,
        script_creates_in_turn({zoom_error(429, 429, "Too many requests",
                                           {{"X-RateLimit-Type", "QPS"}, {"Retry-After", "1"}}),
                                zoom_created("id-1")}));
    auto csv = dir.file("users.csv", users_csv(1, "retry-after"));
    auto r = run_against(server.base_url(), csv, {"--summary-json", dir.path() + "/summary.json"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto seen = server.requests();
    REQUIRE(seen.size() == 2);
    CHECK(seen[1]["at"].get<double>() - seen[0]["at"].get<double>() >= 0.95);
    auto summary = json::parse(slurp(dir.path() + "/summary.json"));
    CHECK(summary["this_run"]["rate_limited"] == 1);
    CHECK(summary["this_run"]["created"] == 1);
}

TEST_CASE("answers: connections are kept alive: 20 rows over 2 workers use 2 connections") {
    temp_dir dir;
    scripted_server server(dir, script_creates(zoom_created("id")));
    auto csv = dir.file("users.csv", users_csv(20, "keepalive"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "2"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    std::set<int> connections;
    for (const auto& q : server.requests())
        connections.insert(q["connection"].get<int>());
    CHECK(posts_received(server) == 20);
    CHECK(connections.size() <= 2);
}

TEST_CASE("answers: rows Zoom rejected wait for --retry-failed, which sends them again") {
    temp_dir dir;
    auto refusal = zoom_error(400, 300, "Invalid field.");
    scripted_server server(dir, script_creates_in_turn({refusal, refusal, zoom_created("id")}));
    auto csv = dir.file("users.csv", users_csv(2, "retry-failed"));
    auto first = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(first.exit_code == 1, first.err);
    CHECK(posts_received(server) == 2);
    auto again = run_against(server.base_url(), csv);
    CHECK(again.exit_code == 1); // still rejected: see the report
    CHECK(again.err.find("--retry-failed") != std::string::npos);
    CHECK(posts_received(server) == 2);
    auto retried = run_against(server.base_url(), csv, {"--retry-failed"});
    CHECK_MESSAGE(retried.exit_code == 0, retried.err);
    CHECK(posts_received(server) == 4);
    CHECK(journal_status(csv + ".journal")["created"] == 2);
}

TEST_CASE("answers: --body multipart creates every row on zoomsim" *
          doctest::test_suite("zoomsim")) {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(6, "multipart"));
    auto r = env.zprov(sim, csv, {"--body", "multipart"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto stats = sim.stats();
    CHECK(stats["created"] == 6);
    for (int i = 0; i < 6; ++i)
        CHECK(created_count(stats, "user" + std::to_string(i) + "@multipart.example.com") == 1);
}

TEST_CASE("answers: endless per-second 429s end the run with 75 after a bounded number") {
    temp_dir dir;
    scripted_server server(dir, script_creates(zoom_error(429, 429, "Too many requests.",
                                                          {{"X-RateLimit-Type", "QPS"}})));
    auto csv = dir.file("users.csv", users_csv(40, "throttled"));
    auto r = run_against(server.base_url(), csv, {"--rate", "1000"}, 60s);
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    CHECK(r.err.find("per-second 429") != std::string::npos);
    // The 16 workers' first requests, then 30 in a row at the slowest rate stop the run;
    // requests already on their way (at most one a worker) are answered.
    CHECK(posts_received(server) >= 30);
    CHECK(posts_received(server) <= 16 + 30 + 16);
    auto s = journal_status(csv + ".journal");
    CHECK(s["in_doubt"] == 0);
    CHECK(s["created"] == 0);
}

TEST_CASE("answers: a daily 429 naming a far date pauses until the next 00:00 UTC plus a day") {
    temp_dir dir;
    auto daily =
        zoom_error(429, 429, "You have reached the maximum daily rate limit.",
                   {{"X-RateLimit-Type", "Daily-limit"}, {"Retry-After", "2100-01-01T00:00:00Z"}});
    scripted_server server(dir, script_creates_in_turn({daily, zoom_created("id")}));
    auto csv = dir.file("users.csv", users_csv(3, "far"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    auto s = journal_status(csv + ".journal");
    CHECK(s["paused_until"] == utc_date_plus(2) + "T00:00:00Z");
    // The operator clears it: the run sends at once.
    auto cleared = run_against(server.base_url(), csv, {"--clear-pause"});
    CHECK_MESSAGE(cleared.exit_code == 0, cleared.err);
    CHECK(cleared.err.find("Clearing the pause") != std::string::npos);
    CHECK(journal_status(csv + ".journal")["created"] == 3);
}

TEST_CASE("answers: after a 5xx outage spent the local budget, the run ends 69 and the next "
          "one asks Zoom instead of pausing") {
    temp_dir dir;
    auto outage = zoom_error(503, 0, "Service Unavailable");
    auto created = zoom_created("id");
    created["headers"] = {{"X-RateLimit-Remaining", "10"}};
    // Six answers 503 (three rows, two attempts each), then Zoom is back.
    scripted_server server(
        dir, script_creates_in_turn({outage, outage, outage, outage, outage, outage, created}));
    auto csv = dir.file("users.csv", users_csv(3, "outage-budget"));
    const std::vector<std::string> args{"--plan",        "free", "--daily-cap",    "4",
                                        "--concurrency", "4",    "--max-attempts", "2"};
    auto first = run_against(server.base_url(), csv, args);
    CHECK_MESSAGE(first.exit_code == 69, first.err); // an outage, not a spent day
    CHECK(posts_received(server) == 6);
    CHECK(journal_status(csv + ".journal")["creates_today"] == 6); // intents count
    // The same day: the journal's count says spent, but no user was created: ask Zoom.
    auto second = run_against(server.base_url(), csv, args);
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    CHECK(posts_received(server) == 9);
    CHECK(journal_status(csv + ".journal")["created"] == 3);
}

TEST_CASE("answers: a certificate for another host name is refused, and the error says so" *
          doctest::test_suite("zoomsim")) {
    run_env env;
    // The test CA's certificate names 127.0.0.1 and localhost; 127.0.0.2 is loopback too.
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--listen", "127.0.0.2"},
                       &env.ca);
    auto url = sim.base_url();
    url.replace(url.find("127.0.0.1"), 9, "127.0.0.2");
    auto csv = env.dir.file("users.csv", users_csv(2, "mismatch"));
    auto r = run_process({zprov::test::zprov_program(), "run", csv, "--base-url", url, "--ca-file",
                          env.ca.ca, "--progress", "never"});
    CHECK_MESSAGE(r.exit_code == 69, r.err);
    CHECK(r.err.find("the certificate is not for 127.0.0.2") != std::string::npos);
    CHECK(r.err.find("--ca-file") == std::string::npos); // a trusted CA is not the problem
    CHECK(journal_status(csv + ".journal")["created"] == 0);
}

namespace {
// One entry of GET /users as Zoom's OpenAPI gives its example, every documented field set.
json listed_user(int i) {
    return json::parse(
        R"j({"user_created_at":"2019-06-01T07:58:03Z","created_at":"2018-10-31T04:32:37Z",)j"
        R"j("custom_attributes":[{"key":"cbf_cywdkexrtqc73f97gd4w6g","name":"A1","value":"2323"}],)j"
        R"j("dept":"Developers","email":"jchill)j" +
        std::to_string(i) +
        R"j(@example.com",)j"
        R"j("employee_unique_id":"HqDyI037Qjili1kNsSIrIg","first_name":"Jill",)j"
        R"j("group_ids":["t-_-d56CSWG-7BF15LLrOw"],"division_ids":["xxxxxxxxxx"],)j"
        R"j("host_key":"299492849","id":"KDcuGIm1QgePTO8WbOqwIQ",)j"
        R"j("im_group_ids":["t-_-d56CSWG-7BF15LLrOw"],"last_client_version":"5.2.45120.0906(win)",)j"
        R"j("last_login_time":"2022-03-25T05:40:55Z","last_name":"Chill","plan_united_type":"1",)j"
        R"j("pmi":6589310093,"role_id":"0","status":"pending","timezone":"Asia/Shanghai","type":1,)j"
        R"j("verified":1,"display_name":"Jill Chill","license_info_list":[{"license_type":)j"
        R"j("ZOOM_WORKPLACE_BUNDLE","license_option":16,"subscription_id":"SUBREF-xxxxxx-xxxxxx"}]})j");
}

// A server that creates the sheet's one row (pending), then answers the list of pending users
// with `page` and a later lookup of the user with Zoom's 404.
json pending_list_script(const json& page) {
    return {{"routes",
             {{{"method", "GET"}, {"path", "/v2/users?"}, {"answers", {{{"body", page}}}}},
              {{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("u1")}}}}}};
}

std::size_t lists(const scripted_server& server) {
    std::size_t n = 0;
    for (const auto& r : server.requests())
        n += r["method"] == "GET" &&
             r["path"].get<std::string>().starts_with("/v2/users?status=pending");
    return n;
}
} // namespace

TEST_CASE("answers: a page of 300 pending users with Zoom's documented fields is read whole") {
    temp_dir dir;
    json page{{"page_size", 300}, {"total_records", 301}, {"next_page_token", ""}};
    page["users"] = json::array();
    for (int i = 0; i < 300; ++i)
        page["users"].push_back(listed_user(i));
    page["users"].push_back(listed_user(0));
    page["users"].back()["email"] = "user0@page.example.com";
    REQUIRE(page.dump().size() > 200'000);
    scripted_server server(dir, pending_list_script(page));
    auto csv = dir.file("users.csv", users_csv(1, "page"));
    auto first = run_against(server.base_url(), csv);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    auto second = run_against(server.base_url(), csv);
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    CHECK(second.err.find("cannot list") == std::string::npos);
    CHECK(lists(server) == 1);
}

TEST_CASE("answers: an answer larger than the call can be is one failure, reported as one that "
          "repeats") {
    temp_dir dir;
    json page{{"next_page_token", ""}, {"users", json::array()}};
    for (int i = 0; i < 4000; ++i) // 4,000 entries for a page of 300: 3.5 MB
        page["users"].push_back(listed_user(i));
    scripted_server server(dir, pending_list_script(page));
    auto csv = dir.file("users.csv", users_csv(1, "huge"));
    auto first = run_against(server.base_url(), csv);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    auto second = run_against(server.base_url(), csv);
    CHECK(lists(server) == 1); // not retried: the same call gets the same answer
    CHECK_MESSAGE(second.err.find("larger than") != std::string::npos, second.err);
    CHECK(second.err.find("every run") != std::string::npos);
    CHECK(second.err.find("next run") == std::string::npos);
}

TEST_CASE("answers: a user id of '..' from Zoom never becomes a path segment") {
    temp_dir dir;
    json script{{"routes",
                 {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("..")}}},
                  {{"method", "PATCH"}, {"path", "/v2/users/"}, {"answers", {{{"status", 204}}}}},
                  {{"method", "GET"}, {"path", "/v2/users/"}, {"answers", {{{"status", 404}}}}}}}};
    scripted_server server(dir, script);
    // custCreate: the profile (Department) is sent at once, to /users/{the id Zoom gave}.
    auto csv = dir.file("users.csv", users_csv(1, "dots"));
    auto r = run_against(server.base_url(), csv,
                         {"--action", "custCreate", "--max-attempts", "2", "--concurrency", "1"});
    CHECK(r.exit_code != 0); // a 201 without a usable id is no success
    REQUIRE_FALSE(server.requests().empty());
    for (const auto& q : server.requests()) {
        const auto path = q["path"].get<std::string>();
        CAPTURE(path);
        CHECK(path.find("/..") == std::string::npos);
        CHECK_FALSE(path.ends_with("/."));
    }
}

TEST_SUITE_END();
