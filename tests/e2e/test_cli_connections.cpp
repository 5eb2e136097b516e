// zprov's keep-alive connections against a real zoomsim over TLS: kept while healthy, and
// reopened before a request is written when the server has closed them, so that a closed
// connection never costs an attempt or a unit of the day's create budget.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

using namespace zprov::test;
using nlohmann::json;

namespace {
// The journal's records of one type, by email.
std::map<std::string, std::vector<json>> records(const std::string& journal,
                                                 const std::string& type) {
    std::map<std::string, std::vector<json>> by_email;
    std::istringstream lines(slurp(journal));
    for (std::string line; std::getline(lines, line);) {
        auto record = json::parse(line, nullptr, false);
        if (record.is_object() && record.value("type", "") == type)
            by_email[record.value("email", "")].push_back(record);
    }
    return by_email;
}

// Imports `rows` new users from `csv` with zprov against a zoomsim started with `sim_args`,
// checks that each row was created by one POST, and returns the server's statistics.
json import_rows(const run_env& env, std::vector<std::string> sim_args, const std::string& csv,
                 int rows, const std::vector<std::string>& zprov_args) {
    sim_args.insert(sim_args.begin(), {"--access-token", run_env::token});
    zoomsim_server sim(env.dir, sim_args, &env.ca);
    auto r = env.zprov(sim, csv, zprov_args);
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto stats = sim.stats();
    CHECK(stats["created"] == rows);
    CHECK(stats["status_counts"] == json{{"201", rows}});
    return stats;
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("connections: with the server closing connections idle for 1 s and --rate 0.5, every "
          "row is created with one attempt") {
    run_env env;
    constexpr int rows = 4;
    auto csv = env.dir.file("users.csv", users_csv(rows, "idle"));
    auto stats =
        import_rows(env, {"--idle-close", "1"}, csv, rows, {"--rate", "0.5", "--concurrency", "1"});
    // The server did close the connections between requests, 2 s apart; yet each row was
    // sent once (above): no request was written on a closed connection.
    CHECK(stats["connections_closed_idle"].get<int>() >= rows - 1);
    const auto intents = records(csv + ".journal", "intent");
    const auto outcomes = records(csv + ".journal", "outcome");
    for (int i = 0; i < rows; ++i) {
        const auto email = "user" + std::to_string(i) + "@idle.example.com";
        CAPTURE(email);
        CHECK(created_count(stats, email) == 1);
        CHECK((intents.count(email) == 1 && intents.at(email).size() == 1));
        REQUIRE(outcomes.count(email) == 1);
        CHECK(outcomes.at(email).back()["outcome"] == "created");
        CHECK(outcomes.at(email).back()["attempts"] == 1);
    }
    // The day's create count is the rows created: no send was spent on a dead socket.
    auto status = journal_status(csv + ".journal");
    CHECK(status["created"] == rows);
    CHECK(status["creates_today"] == rows);
    CHECK(stats["creates_today"] == rows);
}

TEST_CASE("connections: a healthy keep-alive connection carries many requests") {
    run_env env;
    constexpr int rows = 20;
    auto csv = env.dir.file("users.csv", users_csv(rows, "reuse"));
    auto stats = import_rows(env, {"--plan", "business"}, csv, rows,
                             {"--plan", "business", "--concurrency", "2"});
    // One connection per worker, and this stats read's own.
    CHECK(stats["connections_total"].get<int>() <= 2 + 1);
    CHECK(stats["connections_closed_idle"] == 0);
}

TEST_SUITE_END();
