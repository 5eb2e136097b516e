// zprov against a scripted server that holds a create's answer back: signals while a request
// is in flight, during a --wait pause and during a backoff, and the grace period that leaves
// the request in doubt. Asserted on the requests the server received and on the journal.
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>

#include <csignal>

using namespace zprov::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {
// One worker's run of three rows against a server that answers a create only after
// `delay`, from the moment its first request is on its way.
struct request_in_flight {
    request_in_flight(std::chrono::milliseconds delay, const std::string& name)
        : server(dir, script_creates(created_after(delay))),
          csv(dir.file("users.csv", users_csv(3, name))),
          run(argv_against(server.base_url(), csv, {"--concurrency", "1"})) {
        REQUIRE(wait_until([&] { return posts_received(server) == 1; }, 10s));
    }
    static json created_after(std::chrono::milliseconds delay) {
        auto answer = zoom_created("id");
        answer["delay_ms"] = delay.count();
        return answer;
    }
    temp_dir dir;
    scripted_server server;
    std::string csv;
    background_process run;
};
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("answers: a second signal stops at once, leaving the request in flight in doubt") {
    request_in_flight flight(20s, "signal");
    auto& p = flight.run;
    const auto first = std::chrono::steady_clock::now();
    p.terminate();
    REQUIRE(wait_until([&] { return p.err().find("a second signal") != std::string::npos; }, 5s));
    // Past the moment within which a second signal is taken for the same request (1 s).
    wait_until([&] { return std::chrono::steady_clock::now() - first > 1500ms; }, 5s);
    p.terminate();
    auto code = p.wait(5s); // long before the answer would come
    REQUIRE(code.has_value());
    CHECK(*code == 75);
    CHECK(p.err().find("stopped at once") != std::string::npos);
    CHECK(p.err().find("Resume with") != std::string::npos); // the summary, as after any stop
    CHECK(journal_status(flight.csv + ".journal")["in_doubt"] == 1);
}

TEST_CASE("answers: two signals within a second (a timeout wrapper signals the process, then its "
          "group) are one request: the request in flight is answered and journaled") {
    request_in_flight flight(3s, "twice");
    auto& p = flight.run;
    p.terminate();
    // The first signal is handled (the second is not merged with it by the kernel) ...
    REQUIRE(wait_until([&] { return p.err().find("a second signal") != std::string::npos; }, 5s));
    p.terminate(); // ... and the second comes within the second after it.
    auto code = p.wait(30s);
    REQUIRE(code.has_value());
    CHECK_MESSAGE(*code == 75, p.err());
    CHECK(p.err().find("stopped at once") == std::string::npos);
    auto status = journal_status(flight.csv + ".journal");
    CHECK(status["in_doubt"] == 0);
    CHECK(status["created"] == 1);
}

TEST_CASE("answers: past the grace period the request in flight is abandoned, left in doubt") {
    request_in_flight flight(60s, "grace");
    auto& p = flight.run;
    p.terminate();
    auto code = p.wait(30s); // the grace period is 20 s
    REQUIRE(code.has_value());
    CHECK_MESSAGE(*code == 75, p.err());
    CHECK(p.err().find("still in flight after 20 s") != std::string::npos);
    CHECK(journal_status(flight.csv + ".journal")["in_doubt"] == 1);
    CHECK(posts_received(flight.server) == 1);
}

TEST_CASE("answers: a signal during a --wait pause ends the run at once") {
    temp_dir dir;
    auto daily =
        zoom_error(429, 429, "You have reached the maximum daily rate limit.",
                   {{"X-RateLimit-Type", "Daily-limit"}, {"Retry-After", "2100-01-01T00:00:00Z"}});
    scripted_server server(dir, script_creates(daily));
    auto csv = dir.file("users.csv", users_csv(2, "pause-wait"));
    background_process p(argv_against(server.base_url(), csv, {"--concurrency", "1", "--wait"}));
    REQUIRE(wait_until([&] { return p.err().find("Waiting until") != std::string::npos; }, 10s));
    p.terminate();
    auto code = p.wait(5s); // the pause lasts a day or more
    REQUIRE(code.has_value());
    CHECK_MESSAGE(*code == 75, p.err());
    CHECK(posts_received(server) == 1);
    auto status = journal_status(csv + ".journal");
    CHECK(status["paused_until"].is_string());
    CHECK(status["in_doubt"] == 0);
}

TEST_CASE("answers: a signal during a backoff ends the run at once, nothing more sent") {
    temp_dir dir;
    scripted_server server(
        dir, script_creates(zoom_error(429, 429, "Too many requests.",
                                       {{"X-RateLimit-Type", "QPS"}, {"Retry-After", "30"}})));
    auto csv = dir.file("users.csv", users_csv(2, "backoff"));
    background_process p(argv_against(server.base_url(), csv, {"--concurrency", "1", "-v"}));
    REQUIRE(wait_until([&] { return p.err().find("HTTP/1.1 429") != std::string::npos; }, 10s));
    p.terminate();
    auto code = p.wait(5s); // the backoff is 30 s
    REQUIRE(code.has_value());
    CHECK_MESSAGE(*code == 75, p.err());
    CHECK(posts_received(server) == 1);
    CHECK(journal_status(csv + ".journal")["in_doubt"] == 0);
}

TEST_SUITE_END();
