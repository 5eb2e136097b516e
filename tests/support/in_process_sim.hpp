// zoomsim's simulator in process, without sockets and on a fake clock: the simulated account
// its unit tests (test_zoomsim_*.cpp) drive request by request. Starts no process; the
// process is zoomsim_server.hpp's.
#pragma once

#include "support/contract_records.hpp"
#include "zoomsim/simulator.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace zoomsim::testing {
using namespace std::chrono_literals;

// A clock the test moves by hand; UTC starts at 2026-11-28 23:59:00.
struct fake_time {
    steady_time steady{};
    utc_time utc = utc_time{std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November /
                                                  std::chrono::day{28}}} +
                   23h + 59min;
    void advance(std::chrono::milliseconds by) {
        steady += by;
        utc += by;
    }
};

struct in_process_sim {
    std::shared_ptr<fake_time> time = std::make_shared<fake_time>();
    std::unique_ptr<simulator> sim;

    explicit in_process_sim(sim_options options) {
        auto clock = sim_clock{[t = time] { return t->steady; }, [t = time] { return t->utc; }};
        if (options.access_token.empty())
            options.access_token = "T";
        if (options.record_path.empty())
            options.record_path = zprov::test::new_record_file("simulator");
        sim = std::make_unique<simulator>(std::move(options), std::move(clock));
    }

    sim_reply post_user(const std::string& email, const std::string& action = "create",
                        std::string_view token = "Bearer T") {
        body = R"({"action":")" + action + R"(","user_info":{"email":")" + email +
               R"(","type":1,"first_name":"F","last_name":"L"}})";
        return sim->handle({"POST", "/v2/users", token, "application/json", body});
    }
    sim_reply get(std::string_view target, std::string_view token = "Bearer T") {
        return sim->handle({"GET", target, token, "", ""});
    }
    sim_reply call(std::string_view method, const std::string& target, std::string with = "",
                   std::string_view token = "Bearer T") {
        body = std::move(with);
        return sim->handle({method, target, token, "application/json", body});
    }
    // A POST to zoomsim's own /_sim/`what`; its answer's document.
    nlohmann::json control(const std::string& what, const nlohmann::json& with) {
        auto reply = call("POST", "/_sim/" + what, with.dump(), "");
        REQUIRE_MESSAGE(reply.status == 200, reply.body);
        return nlohmann::json::parse(reply.body);
    }
    // The id of a user just created with `action`.
    std::string created_id(const std::string& email, const std::string& action = "create") {
        auto reply = post_user(email, action);
        REQUIRE(reply.status == 201);
        return nlohmann::json::parse(reply.body)["id"].get<std::string>();
    }
    nlohmann::json stats() { return nlohmann::json::parse(sim->stats_json()); }

    std::string body;
};

inline sim_options options_with(std::int64_t qps, std::int64_t daily_cap) {
    sim_options options;
    options.qps = qps;
    options.daily_cap = daily_cap;
    return options;
}

inline std::string header(const sim_reply& reply, std::string_view name) {
    for (const auto& [key, value] : reply.headers)
        if (key == name)
            return value;
    return "";
}

} // namespace zoomsim::testing
