// Zoom's Medium category (GET /groups here) against a real zoomsim on the Free plan (2 a
// second): zprov's Medium pacer keeps every sliding one-second window of Medium arrivals,
// as zoomsim recorded them, within the limit, with no Medium 429. An account with more
// groups than one page holds makes a run read GET /groups page after page, in a run and
// in a dry run with credentials.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"
#include "support/timing.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace zprov::test;
using nlohmann::json;

namespace {
// Zoom's largest page is 300 groups: 1250 groups are 5 pages of GET /groups.
constexpr int group_count = 1250;
constexpr int pages = 5;
constexpr int free_medium_per_second = 2;

std::string group_list() {
    std::string names;
    for (int i = 0; i < group_count; ++i) {
        if (i)
            names += ',';
        names += "Team ";
        names += std::to_string(i);
    }
    return names;
}

// The most arrivals in any one-second window [t, t + 1000 ms) starting at an arrival.
int busiest_second(const std::vector<std::int64_t>& at) {
    int most = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
        const auto in_window = std::count_if(at.begin() + static_cast<std::ptrdiff_t>(i), at.end(),
                                             [&](std::int64_t t) { return t < at[i] + 1000; });
        most = std::max(most, static_cast<int>(in_window));
    }
    return most;
}

std::vector<std::string> medium_sim_args() {
    return {"--access-token", run_env::token, "--plan", "free", "--groups", group_list()};
}

std::string hires_csv(const run_env& env) {
    return env.dir.file("hires.csv", "Email,First Name,Last Name,User Group\n"
                                     "a@medium.example.com,Ann,Lee,Team 1249\n"
                                     "b@medium.example.com,Bo,Ng,team 7\n");
}

std::vector<std::int64_t> medium_arrivals(const zoomsim_server& sim) {
    return sim.calls()["arrivals_ms"]["Medium"].get<std::vector<std::int64_t>>();
}

// `members`: POST /groups/{groupId}/members calls (Medium too) after the pages.
void check_medium_paced(const zoomsim_server& sim, std::size_t members = 0) {
    const auto medium = medium_arrivals(sim);
    CAPTURE(sim.calls().dump());
    REQUIRE(medium.size() == pages + members);
    CHECK(busiest_second(medium) <= free_medium_per_second);
    // Five calls at two a second span two seconds at least (less a margin for arrival).
    CHECK(medium.back() - medium.front() >= 1900);
    const auto stats = sim.stats();
    CHECK(stats["rate_limited_qps_by_category"]["Medium"] == 0);
    CHECK(stats["group_lists"] == pages);
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("medium: Medium calls never exceed the Medium limit in any one-second window" * timing) {
    run_env env;
    const auto sim_args = medium_sim_args();
    auto csv = hires_csv(env);
    SUBCASE("a run reads every page of GET /groups at the plan's Medium rate") {
        zoomsim_server sim(env.dir, sim_args, &env.ca);
        auto r = env.zprov(sim, csv, {"--plan", "free", "--action", "custCreate"});
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        // Active users (custCreate) join their group by POST /groups/{groupId}/members.
        check_medium_paced(sim, 2);
        CHECK(sim.stats()["members_added"] == 2); // the last page's group was found too
    }
    SUBCASE("a dry run with credentials reads them at the same rate") {
        zoomsim_server sim(env.dir, sim_args, &env.ca);
        auto r = env.zprov(sim, csv, {"--plan", "free", "--dry-run"});
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        check_medium_paced(sim);
        CHECK(sim.stats()["requests_total"] == pages);
    }
}

TEST_CASE("medium: a run started at once after a kill -9 counts the killed run's last Medium "
          "calls in its window (the journal's call records)" *
          timing) {
    run_env env;
    zoomsim_server sim(env.dir, medium_sim_args(), &env.ca);
    auto csv = hires_csv(env);
    const auto argv = env.argv(sim, csv, {"--plan", "free", "--action", "custCreate"});
    {
        // Killed once its first window of GET /groups (two on Free) has reached zoomsim.
        background_process first(argv);
        REQUIRE(wait_until([&] { return medium_arrivals(sim).size() >= 2 || !first.running(); },
                           std::chrono::seconds(30)));
        first.kill();
        first.wait(std::chrono::seconds(10));
    }
    // At least its first window; more only when the machine delayed the kill.
    const auto killed_run = medium_arrivals(sim).size();
    REQUIRE(killed_run >= 2);
    auto r = run_process(argv, "", std::chrono::seconds(120));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    const auto medium = medium_arrivals(sim);
    CAPTURE(sim.calls().dump());
    CHECK(medium.size() >= killed_run + pages); // the rerun reads every page again
    CHECK(busiest_second(medium) <= free_medium_per_second);
    CHECK(sim.stats()["rate_limited_qps_by_category"]["Medium"] == 0);
}

TEST_SUITE_END();
