#include "e2e/stale_accounts.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>

namespace zprov::test::reinvite {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

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

std::vector<std::string> with_token(std::vector<std::string> args) {
    args.insert(args.begin(), {"--access-token", run_env::token});
    return args;
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

} // namespace

std::string user_email(int i, const std::string& tag) {
    return "user" + std::to_string(i) + "@" + tag + ".example.com";
}

stale_account::stale_account(const std::string& tag_, int n, int active,
                             std::vector<std::string> sim_args)
    : sim(env.dir, with_token(std::move(sim_args)), &env.ca), tag(tag_),
      csv(env.dir.file("users.csv", users_csv(n, tag_))), journal(csv + ".journal") {
    created_then_some_accepted(env, sim, csv, active, tag);
}

std::vector<std::string> reinvite_argv(const run_env& env, const zoomsim_server& sim,
                                       const std::string& csv, std::vector<std::string> more) {
    more.insert(more.begin(), "--reinvite");
    return under_faketime("+26d", env.argv(sim, csv, more));
}

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

void kill_under_faketime(background_process& p) {
    p.kill();
    p.wait(5s);
}

void only_own_ids_deleted(const zoomsim_server& sim, const std::string& journal) {
    const auto own = created_ids(journal);
    const auto stats = sim.stats(); // named: items() of a temporary's member would dangle
    for (const auto& [id, times] : stats["deletions_by_id"].items()) {
        CAPTURE(id);
        CHECK(own.contains(id));
        CHECK(times == 1);
    }
}

json status_at(const std::string& when, const std::string& journal, std::vector<std::string> more) {
    std::vector<std::string> argv{zprov_program(), "status", journal, "--json"};
    argv.insert(argv.end(), more.begin(), more.end());
    auto r = run_process(under_faketime(when, argv));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return json::parse(r.out);
}

void advance_26_days(const zoomsim_server& sim) {
    sim.control("advance", {{"days", 26}});
}

} // namespace zprov::test::reinvite
