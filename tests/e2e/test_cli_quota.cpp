// The day's create quota as Zoom states it: a 201's X-RateLimit-Remaining when other apps
// on the account have spent part of the day, its X-RateLimit-Limit when --plan is not the
// account's plan, and a daily 429 that carries no headers at all. Real zprov against real
// zoomsim over TLS.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace zprov::test;

namespace {
std::string tomorrow_midnight() {
    return utc_date_plus(1) + "T00:00:00Z";
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("quota: other apps spent 1490 of 1500 today: zprov follows Zoom's X-RateLimit-Remaining "
          "and stops before the 429") {
    run_env env;
    zoomsim_server sim(env.dir,
                       {"--access-token", run_env::token, "--plan", "pro", "--qps", "1000",
                        "--spent-today", "1490"},
                       &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(30, "quota"));
    const std::vector<std::string> args{"--plan", "pro", "--rate", "200", "--concurrency", "1"};
    auto r = env.zprov(sim, csv, args);
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    CHECK(r.err.find("X-RateLimit-Remaining") != std::string::npos);
    auto stats = sim.stats();
    CHECK(stats["created"] == 10);
    CHECK(stats["rate_limited_daily"] == 0); // stopped before Zoom had to refuse
    CHECK(stats["creates_today"] == 1500);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 10);
    CHECK(s["pause_reason"].get<std::string>().find(
              "Zoom's X-RateLimit-Remaining says the day's creates are spent for " +
              utc_date_plus(0) + " (0 left") != std::string::npos);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["paused_until"] == tomorrow_midnight());

    // The same day a rerun sends nothing (but the check of the pending users); the next day
    // the rest goes through.
    const auto total = requests_but_lists(stats);
    CHECK(env.zprov(sim, csv, args).exit_code == 75);
    CHECK(requests_but_lists(sim.stats()) == total);
    sim.next_day();
    auto day2 = run_process(under_faketime("+1d", env.argv(sim, csv, args)));
    CHECK_MESSAGE(day2.exit_code == 0, day2.err);
    stats = sim.stats();
    CHECK(stats["created"] == 30);
    CHECK(stats["rate_limited_daily"] == 0);
}

TEST_CASE("quota: with 16 requests in flight Zoom's figure still stops zprov before the 429") {
    run_env env;
    zoomsim_server sim(env.dir,
                       {"--access-token", run_env::token, "--plan", "business", "--qps", "1000",
                        "--spent-today", "9960", "--latency-ms", "20"},
                       &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(120, "inflight"));
    auto r = env.zprov(sim, csv, {"--plan", "business", "--concurrency", "16"});
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    auto stats = sim.stats();
    // Requests on their way when Zoom answered may be counted before or after it: zprov
    // takes them from Zoom's figure, so it may stop a few short of the cap, never past it.
    CHECK(stats["rate_limited_daily"] == 0);
    CHECK(stats["created"].get<int>() <= 40);
    CHECK(stats["created"].get<int>() >= 40 - 15);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == stats["created"]);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["paused_until"] == tomorrow_midnight());
}

TEST_CASE("quota: Zoom's X-RateLimit-Limit of another plan is named once") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(6, "plan"));
    auto r = env.zprov(sim, csv, {"--plan", "pro", "--concurrency", "2"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(occurrences(r.err, "Zoom reports a daily limit of 10000: this account looks like "
                             "Business+; pass --plan business") == 1);
    CHECK(sim.stats()["created"] == 6);

    // The plan that matches: nothing to say.
    auto same = env.dir.file("same.csv", users_csv(3, "same"));
    auto quiet = env.zprov(sim, same, {"--plan", "business"});
    CHECK_MESSAGE(quiet.exit_code == 0, quiet.err);
    CHECK(quiet.err.find("Zoom reports a daily limit") == std::string::npos);
}

TEST_CASE("quota: a daily 429 with no X-RateLimit headers and no Retry-After pauses until the "
          "next 00:00 UTC") {
    run_env env;
    zoomsim_server sim(env.dir,
                       {"--access-token", run_env::token, "--plan", "business", "--daily-cap", "5",
                        "--bare-daily-429", "--no-quota-headers"},
                       &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(12, "bare"));
    const std::vector<std::string> args{"--plan", "business", "--concurrency", "1"};
    auto r = env.zprov(sim, csv, args);
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    CHECK(r.err.find("daily") != std::string::npos);
    auto stats = sim.stats();
    CHECK(stats["created"] == 5);
    CHECK(stats["rate_limited_daily"] == 1);
    CHECK(stats["requests_after_daily_limit"] == 0);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 5);
    CHECK(s["in_doubt"] == 0);
    CHECK(s["rejected"] == 0);
    CHECK(s["failed"] == 0);
    CHECK(s["paused_until"] == tomorrow_midnight());

    const auto total = requests_but_lists(stats);
    CHECK(env.zprov(sim, csv, args).exit_code == 75); // the same day: nothing sent
    CHECK(requests_but_lists(sim.stats()) == total);
}

TEST_SUITE_END();
