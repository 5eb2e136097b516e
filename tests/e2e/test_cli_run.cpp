// `zprov run`, `status` and `report` as an administrator uses them, against a real zoomsim
// over TLS on 127.0.0.1, checked on what the server recorded (/_sim/stats).
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <sys/stat.h>
#include <thread>

using namespace zprov::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("run: a mixed import creates new users, reports existing and invalid ones, and a rerun "
          "sends nothing") {
    run_env env;
    std::string existing =
        env.dir.file("existing.txt", "user3@mix.example.com\nUSER7@mix.example.com\n");
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--plan", "business", "--existing", existing},
        &env.ca);
    auto csv_text = users_csv(20, "mix") + "not-an-email,Bad,Row,Sales\n" +
                    "user1@mix.example.com,Twice,Again,Sales\n";
    auto csv = env.dir.file("users.csv", csv_text);

    auto r = env.zprov(sim, csv, {"--plan", "business"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    auto stats = sim.stats();
    CHECK(stats["created"] == 18);
    CHECK(stats["conflicts"] == 2);
    for (int i = 0; i < 20; ++i)
        if (i != 3 && i != 7)
            CHECK(created_count(stats, "user" + std::to_string(i) + "@mix.example.com") == 1);
    CHECK(r.err.find("18 created, 2 already existed, 0 rejected, 0 failed, 2 invalid") !=
          std::string::npos);

    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 18);
    CHECK(s["exists"] == 2);
    CHECK(s["invalid"] == 2);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["creates_today"] == 20);
    CHECK(s["daily_cap"] == 10000);
    CHECK(s["paused_until"].is_null());

    auto again = env.zprov(sim, csv, {"--plan", "business"});
    CHECK(again.exit_code == 1); // the invalid rows are still in the sheet
    CHECK(requests_but_lists(sim.stats()) == requests_but_lists(stats));
    CHECK(again.err.find("20 done by earlier runs") != std::string::npos);

    auto report = run_process({zprov_bin, "report", csv + ".journal"});
    // Behind a UTF-8 byte-order mark, for Excel.
    CHECK(report.out.find(
              "\xEF\xBB\xBF"
              "email,outcome,zoom_user_id,http_status,zoom_code,message,attempts,line") == 0);
    // A 409 is looked up: Zoom's id and status are recorded.
    auto exists_at = report.out.find("user3@mix.example.com,exists,");
    REQUIRE(exists_at != std::string::npos);
    auto exists_line = report.out.substr(exists_at, report.out.find('\n', exists_at) - exists_at);
    CHECK(exists_line.find(",,409") == std::string::npos); // an id is there
    CHECK(exists_line.find(",409,1005,") != std::string::npos);
    CHECK(exists_line.find(",active,,\r") != std::string::npos); // no group or profile step
    auto failed = run_process({zprov_bin, "report", csv + ".journal", "--failed-only"});
    CHECK(failed.out.find("\xEF\xBB\xBF"
                          "Email,First Name,Last Name,Department,zprov_outcome,zprov_reason") == 0);
    CHECK(failed.out.find("not-an-email,Bad,Row,Sales,invalid,") != std::string::npos);
    CHECK(failed.out.find("user1@mix.example.com,Twice,Again,Sales,invalid,") != std::string::npos);
}

TEST_CASE("run: an untrusted certificate is refused and nothing is sent") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(5, "tls"));
    auto r = run_process({zprov_bin, "run", csv, "--base-url", sim.base_url(), "--progress",
                          "never"}); // no --ca-file
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("certificate") != std::string::npos);
    CHECK(sim.stats()["requests_total"] == 0);
}

TEST_CASE("run: with 5xx, dropped connections and commit-then-drop, every row ends created exactly "
          "once") {
    run_env env;
    zoomsim_server sim(env.dir,
                       {"--access-token", run_env::token, "--plan", "business", "--fail-rate",
                        "0.1", "--drop-rate", "0.05", "--commit-drop-rate", "0.05", "--seed", "7",
                        "--latency-ms", "5"},
                       &env.ca);
    const int n = 80;
    auto csv = env.dir.file("users.csv", users_csv(n, "faults"));
    int last = -1;
    for (int run = 0; run < 4 && last != 0; ++run) // failed rows are resent by the next run
        last = env.zprov(sim, csv, {"--concurrency", "8"}).exit_code;
    CHECK(last == 0);
    auto stats = sim.stats();
    CHECK(stats["failed_injected"].get<int>() > 0);
    CHECK(stats["commit_dropped"].get<int>() > 0);
    for (int i = 0; i < n; ++i)
        CHECK(created_count(stats, "user" + std::to_string(i) + "@faults.example.com") == 1);
    CHECK(stats["users_total"] == n);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"].get<int>() + s["exists"].get<int>() == n);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["failed"] == 0);
}

TEST_CASE("run: ten kill -9 at random moments, then a final run - every row exists once") {
    run_env env;
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--plan", "business", "--latency-ms", "40"},
        &env.ca);
    const int n = 150;
    auto csv = env.dir.file("users.csv", users_csv(n, "kill"));
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> after_requests(1, 25);
    for (int k = 0; k < 10; ++k) {
        // Killed once the server has seen a random number of further requests (or the run
        // has ended): at a random point of the import, whatever the machine's speed.
        auto target = sim.stats()["requests_total"].get<int>() + after_requests(rng);
        background_process p(env.argv(sim, csv));
        wait_until([&] { return !p.running() || sim.stats()["requests_total"] >= target; }, 10s);
        p.kill();
        p.wait(5s);
    }
    auto final_run = env.zprov(sim, csv);
    CHECK_MESSAGE(final_run.exit_code == 0, final_run.err);
    auto stats = sim.stats();
    for (int i = 0; i < n; ++i)
        CHECK(created_count(stats, "user" + std::to_string(i) + "@kill.example.com") == 1);
    CHECK(stats["users_total"] == n);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"].get<int>() + s["exists"].get<int>() == n);
    CHECK(s["in_doubt"] == 0);
}

TEST_CASE("run: the token never appears in output, journal or report, and the journal is 0600") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(5, "secret") + "bad,Bad,Row,Sales\n");
    auto r = env.zprov(sim, csv, {"--trace", "--summary-json", env.dir.path() + "/summary.json"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("Authorization: [redacted]") != std::string::npos);
    auto journal = csv + ".journal";
    auto report = run_process({zprov_bin, "report", journal});
    for (const auto& text :
         {r.out, r.err, slurp(journal), report.out, slurp(env.dir.path() + "/summary.json")})
        CHECK(text.find(run_env::token) == std::string::npos);
    struct stat st {};
    REQUIRE(::stat(journal.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto summary = json::parse(slurp(env.dir.path() + "/summary.json"));
    CHECK(summary["this_run"]["created"] == 5);
}

TEST_CASE("run: a second run on the same journal exits 75 at once") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "free"}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(30, "lock"));
    background_process first(env.argv(sim, csv, {"--plan", "free"}));
    // The run record is written once the journal is locked.
    REQUIRE(wait_until(
        [&] { return slurp(csv + ".journal").find("\"type\":\"run\"") != std::string::npos; },
        10s));
    auto second = env.zprov(sim, csv, {"--plan", "free"}, 10s);
    CHECK(second.exit_code == 75);
    CHECK(second.err.find("another zprov run holds this journal") != std::string::npos);
    first.terminate();
    auto code = first.wait(30s);
    CHECK(code == 75); // interrupted: rerun to resume
}

TEST_CASE(
    "run: SIGTERM lets requests in flight finish, exits 75, and a rerun completes the import") {
    run_env env;
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--plan", "business", "--latency-ms", "300"},
        &env.ca);
    const int n = 60;
    auto csv = env.dir.file("users.csv", users_csv(n, "term"));
    background_process p(env.argv(sim, csv, {"--concurrency", "4"}));
    REQUIRE(wait_until([&] { return sim.stats()["created"] >= 8; }, 10s));
    p.terminate();
    auto code = p.wait(30s);
    CHECK(code == 75);
    CHECK(p.err().find("Resume with") != std::string::npos);
    auto s = journal_status(csv + ".journal");
    CHECK(s["in_doubt"] == 0); // every request in flight was answered and journaled
    auto done = s["created"].get<int>();
    CHECK(done > 0);
    CHECK(done < n);
    CHECK(sim.stats()["created"] == done);
    auto rerun = env.zprov(sim, csv);
    CHECK(rerun.exit_code == 0);
    CHECK(sim.stats()["users_total"] == n);
}

TEST_CASE("run: at the daily cap the run stops with 75, and the same day a rerun sends nothing") {
    run_env env;
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--plan", "free", "--qps", "1000"}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(60, "cap"));
    auto r = env.zprov(sim, csv, {"--plan", "free", "--rate", "50"});
    CHECK(r.exit_code == 75);
    CHECK(r.err.find("Resume after") != std::string::npos);
    auto stats = sim.stats();
    CHECK(stats["created"] == 50);
    CHECK(stats["rate_limited_daily"] == 0); // stopped before Zoom had to refuse
    auto s = journal_status(csv + ".journal");
    CHECK(s["creates_today"] == 50);
    CHECK(s["paused_until"].is_string());
    auto again = env.zprov(sim, csv, {"--plan", "free", "--rate", "50"});
    CHECK(again.exit_code == 75);
    CHECK(requests_but_lists(sim.stats()) == requests_but_lists(stats));
}

TEST_CASE(
    "run: '-' reads the sheet from standard input with --journal, and --dry-run sends nothing") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto journal = env.dir.path() + "/stdin.journal";
    auto no_journal = env.zprov(sim, "-", {}, std::chrono::seconds(10));
    CHECK(no_journal.exit_code == 64);
    CHECK(no_journal.err.find("--journal") != std::string::npos);

    auto csv = env.dir.file("users.csv", users_csv(6, "stdin"));
    auto dry = env.zprov(sim, csv, {"--dry-run"});
    CHECK(dry.exit_code == 0);
    CHECK(dry.err.find("6 rows would be sent") != std::string::npos);
    CHECK(sim.stats()["requests_total"] == 0);
    CHECK(slurp(csv + ".journal").empty());

    auto r = run_process(env.argv(sim, "-", {"--journal", journal}), users_csv(6, "stdin"));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(sim.stats()["created"] == 6);
    CHECK(journal_status(journal)["created"] == 6);
}

TEST_CASE(
    "run: autoCreate sends passwords, yet no password reaches the output, journal or report") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto csv = env.dir.file("users.csv", "Email,First Name,Password\n"
                                         "a@pw.example.com,Ann,Xq7wPlumb3r\n"
                                         "b@pw.example.com,Bob,weak\n");
    auto r = env.zprov(sim, csv, {"--action", "autoCreate", "--trace"});
    CHECK_MESSAGE(r.exit_code == 1, r.err); // Bob's password breaks Zoom's rules
    CHECK(sim.stats()["created"] == 1);
    CHECK(r.err.find("\"password\":\"[redacted]\"") != std::string::npos);
    auto journal = csv + ".journal";
    auto failed = run_process({zprov::test::zprov_program(), "report", journal, "--failed-only"});
    CHECK(failed.out.find("b@pw.example.com,Bob,,invalid,") != std::string::npos);
    for (const auto& text : {r.out, r.err, slurp(journal), failed.out})
        for (const auto* secret : {"Xq7wPlumb3r", "weak"})
            CHECK(text.find(secret) == std::string::npos);
}

TEST_SUITE_END();
