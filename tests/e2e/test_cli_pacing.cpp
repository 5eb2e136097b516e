// Pacing from the first second to the last and across runs: a --rate above the plan's starts at
// the plan's, a daily 429 stops every create at once, the day's first create goes alone,
// a rerun after a kill -9 counts the killed run's last second, and two imports into one
// account take turns. Real zprov against real zoomsim over TLS, checked on zoomsim's record.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"
#include "support/timing.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>
#include <thread>

using namespace zprov::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
std::string tomorrow_midnight() {
    return utc_date_plus(1) + "T00:00:00Z";
}

// The most arrivals in any one second starting at an arrival within the first `span` ms.
int busiest_opening_second(const json& arrivals_ms) {
    std::vector<double> at;
    for (const auto& a : arrivals_ms)
        at.push_back(a.get<double>());
    std::sort(at.begin(), at.end());
    if (at.empty())
        return 0;
    const auto end = std::upper_bound(at.begin(), at.end(), at.front() + 999.999);
    return static_cast<int>(end - at.begin());
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("pacing: --rate 1000 against Pro's 30/s: the first second holds 30 at most and the "
          "rate climbs only on evidence" *
          timing) {
    run_env env;
    zoomsim_server sim(
        env.dir,
        {"--access-token", run_env::token, "--plan", "pro", "--qps", "30", "--latency-ms", "50"},
        &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(300, "burst"));
    auto r = env.zprov(sim, csv, {"--plan", "pro", "--rate", "1000", "--concurrency", "256"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto stats = sim.stats();
    CHECK(stats["created"] == 300);
    CHECK(busiest_opening_second(sim.calls()["arrivals_ms"]["Light"]) <= 30);
    // Each climb above 30/s that Zoom refuses costs a few 429s, then the rate falls back.
    CHECK(stats["rate_limited_qps"].get<int>() <= 30);
}

TEST_CASE("pacing: a daily 429 whose Retry-After is already past stops every create at once "
          "until the next 00:00 UTC" *
          timing) {
    run_env env;
    // The server's cap (20) is below Free's 50, its 201s say nothing of it, and its daily
    // 429's Retry-After is today's 00:00 UTC: past by zprov's clock.
    zoomsim_server sim(env.dir,
                       {"--access-token", run_env::token, "--plan", "free", "--daily-cap", "20",
                        "--no-quota-headers", "--past-daily-retry-after"},
                       &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(60, "pastretry"));
    const std::vector<std::string> args{"--plan", "free"};
    auto r = env.zprov(sim, csv, args);
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    auto stats = sim.stats();
    CHECK(stats["created"] == 20);
    CHECK(stats["rate_limited_daily"].get<int>() <= 2);
    // Only a request already written when the first 429 came may follow it.
    CHECK(stats["requests_after_daily_limit"].get<int>() <= 1);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 20);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["failed"] == 0);
    CHECK(s["paused_until"] == tomorrow_midnight());
    // The same day a rerun sends nothing.
    const auto total = requests_but_lists(stats);
    CHECK(env.zprov(sim, csv, args).exit_code == 75);
    CHECK(requests_but_lists(sim.stats()) == total);
}

TEST_CASE("pacing: with 1490 of Pro's 1500 spent by others default options create exactly 10 "
          "and draw no daily 429 run after run" *
          timing) {
    for (int run = 0; run < 3; ++run) {
        CAPTURE(run);
        run_env env;
        zoomsim_server sim(env.dir,
                           {"--access-token", run_env::token, "--plan", "pro", "--spent-today",
                            "1490", "--latency-ms", "100", "--jitter-ms", "20"},
                           &env.ca);
        auto csv = env.dir.file("users.csv", users_csv(40, "firstofday"));
        auto r = env.zprov(sim, csv, {"--plan", "pro"});
        CHECK_MESSAGE(r.exit_code == 75, r.err);
        auto stats = sim.stats();
        CHECK(stats["created"] == 10);
        CHECK(stats["rate_limited_daily"] == 0);
        auto s = journal_status(csv + ".journal");
        CHECK(s["created"] == 10);
        CHECK(s["in_doubt"] == 0);
    }
}

TEST_CASE("pacing: ten kill -9s of a 3000-row Business+ import each rerun at once: no second "
          "over 80 at the server and no 429" *
          timing) {
    run_env env;
    zoomsim_server sim(env.dir,
                       {"--access-token", run_env::token, "--plan", "business", "--latency-ms",
                        "40", "--jitter-ms", "20"},
                       &env.ca);
    const int rows = 3000;
    auto csv = env.dir.file("users.csv", users_csv(rows, "kills"));
    const auto argv = env.argv(sim, csv, {"--plan", "business"});
    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> after(40, 320); // creates between kills
    for (int kill = 0; kill < 10; ++kill) {
        CAPTURE(kill);
        background_process p(argv);
        const auto target = sim.stats()["created"].get<int>() + after(rng);
        const bool reached = wait_until(
            [&] { return sim.stats()["created"].get<int>() >= target || !p.running(); }, 60s);
        REQUIRE(reached);
        p.kill();
        p.wait(10s);
    }
    auto last = run_process(argv, "", 120s);
    CHECK_MESSAGE(last.exit_code == 0, last.err);
    auto stats = sim.stats();
    CHECK(stats["max_in_one_second_by_category"]["Light"].get<int>() <= 80);
    CHECK(stats["rate_limited_qps"] == 0);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"].get<int>() + s["exists"].get<int>() == rows);
    CHECK(stats["created"] == rows);
}

TEST_CASE("pacing: a second import into the same account stops at once or waits for the first "
          "with --wait-for-account" *
          timing) {
    run_env env;
    zoomsim_server sim(env.dir,
                       {"--access-token", run_env::token, "--plan", "pro", "--latency-ms", "20"},
                       &env.ca);
    auto first_csv = env.dir.file("first.csv", users_csv(240, "first"));
    auto second_csv = env.dir.file("second.csv", users_csv(60, "second"));
    {
        background_process first(env.argv(sim, first_csv, {"--plan", "pro"}));
        REQUIRE(wait_until([&] { return sim.stats()["created"].get<int>() >= 5; }, 30s));
        auto second = env.zprov(sim, second_csv, {"--plan", "pro"});
        CHECK(second.exit_code == 75);
        CHECK(second.err.find("another zprov run (pid " + std::to_string(first.pid()) +
                              ") is importing into") != std::string::npos);
        CHECK(second.err.find("--wait-for-account") != std::string::npos);
        CHECK(journal_status(second_csv + ".journal")["created"] == 0);
        CHECK(first.wait(60s) == 0);
    }
    // Waiting: the second goes on when the first ends, and together they stay in the limit
    // (a server of their own, which counts only them).
    zoomsim_server fresh(env.dir,
                         {"--access-token", run_env::token, "--plan", "pro", "--latency-ms", "20"},
                         &env.ca);
    auto third_csv = env.dir.file("third.csv", users_csv(240, "third"));
    background_process first(env.argv(fresh, third_csv, {"--plan", "pro"}));
    REQUIRE(wait_until([&] { return fresh.stats()["created"].get<int>() >= 10; }, 30s));
    auto second = env.zprov(fresh, second_csv, {"--plan", "pro", "--wait-for-account"});
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    CHECK(second.err.find("waiting for it to end") != std::string::npos);
    CHECK(first.wait(60s) == 0);
    auto stats = fresh.stats();
    CHECK(stats["created"] == 240 + 60);
    CHECK(stats["rate_limited_qps"] == 0);
    CHECK(stats["max_in_one_second_by_category"]["Light"].get<int>() <= 30);
}

TEST_SUITE_END();
