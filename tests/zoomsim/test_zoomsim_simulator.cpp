// Unit tests of the simulated account without sockets, on a fake clock: Zoom's processing
// order, the daily cap and its day rollover, OAuth token expiry, reproducible faults and
// the statistics document.
#include "support/in_process_sim.hpp"
#include "zoomsim/simulator.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <set>

using namespace zoomsim;
using namespace std::chrono_literals;
using nlohmann::json;

using namespace zoomsim::testing;

TEST_CASE("zoomsim simulator: the per-second limit comes before authentication") {
    in_process_sim f(options_with(2, 100));
    CHECK(f.post_user("a@example.com", "create", "Bearer wrong").status == 401);
    CHECK(f.post_user("b@example.com", "create", "").status == 401);
    auto limited = f.post_user("c@example.com");
    CHECK(limited.status == 429);
    CHECK(header(limited, "X-RateLimit-Category") == "Light");
    CHECK(header(limited, "X-RateLimit-Type") == "QPS");
    CHECK(header(limited, "Retry-After") == "");
    CHECK(json::parse(limited.body) ==
          json{{"code", 429},
               {"message", "You have reached the maximum per-second rate limit for this API. "
                           "Try again later."}});
    f.time->advance(1s);
    CHECK(f.post_user("c@example.com").status == 201);

    auto stats = f.stats();
    CHECK(stats["auth_failures"] == 2);
    CHECK(stats["rate_limited_qps"] == 1);
    CHECK(stats["max_requests_in_one_second"] == 3);
    CHECK(stats["status_counts"] == json{{"201", 1}, {"401", 2}, {"429", 1}});
}

TEST_CASE("zoomsim simulator: the plan sets the per-second limit and the daily cap") {
    for (auto [plan, qps, cap] :
         {std::tuple{zprov::plan::free, 4, 50}, std::tuple{zprov::plan::pro, 30, 1500},
          std::tuple{zprov::plan::business, 80, 10000}}) {
        sim_options options;
        options.plan = plan;
        in_process_sim f(options);
        int admitted = 0;
        for (int i = 0; i < 100; ++i)
            admitted += f.get("/v2/users/nobody@example.com").status == 404;
        CHECK(admitted == qps);
        CHECK(f.stats()["daily_cap"] == cap);
    }
}

TEST_CASE("zoomsim simulator: authentication comes before validation, validation before the cap") {
    in_process_sim f(options_with(1000, 1));
    auto unauthorized = f.sim->handle({"POST", "/v2/users", "", "application/json", "not json"});
    CHECK(unauthorized.status == 401);
    CHECK(json::parse(unauthorized.body) ==
          json{{"code", 124}, {"message", "Invalid access token."}});
    CHECK(f.post_user("not-an-email").status == 400);
    CHECK(f.stats()["creates_today"] == 0);
    CHECK(f.post_user("a@example.com").status == 201);
    CHECK(f.post_user("b@example.com").status == 429);
}

TEST_CASE("zoomsim simulator: the daily cap counts 201 and 409 and refuses with Zoom's headers") {
    in_process_sim f(options_with(1000, 2));
    CHECK(f.post_user("a@example.com").status == 201);
    CHECK(f.post_user("A@EXAMPLE.COM").status == 409);
    auto refused = f.post_user("b@example.com");
    CHECK(refused.status == 429);
    CHECK(header(refused, "X-RateLimit-Category") == "Light");
    CHECK(header(refused, "X-RateLimit-Type") == "Daily-limit");
    CHECK(header(refused, "X-RateLimit-Limit") == "2");
    CHECK(header(refused, "X-RateLimit-Remaining") == "0");
    CHECK(header(refused, "Retry-After") == "2026-11-29T00:00:00Z");
    CHECK(json::parse(refused.body)["message"] ==
          "You have exceeded the daily rate limit (2) of user invite requests permitted for this "
          "account. You may resume these requests at GMT 00:00:00.");
    // Actions other than create are not capped.
    CHECK(f.post_user("c@example.com", "custCreate").status == 201);
    CHECK(f.post_user("d@example.com").status == 429);

    auto stats = f.stats();
    CHECK(stats["rate_limited_daily"] == 2);
    CHECK(stats["requests_after_daily_limit"] == 2); // custCreate and d@, after the first 429
    CHECK(stats["creates_today"] == 2);
    CHECK(stats["day"] == "2026-11-28");

    // Midnight UTC on the simulator's clock starts a new day.
    f.time->advance(60s);
    CHECK(f.post_user("b@example.com").status == 201);
    stats = f.stats();
    CHECK(stats["day"] == "2026-11-29");
    CHECK(stats["creates_today"] == 1);
    CHECK(stats["requests_after_daily_limit"] == 2);
}

TEST_CASE("zoomsim simulator: /_sim/next-day moves the day on and is not an API request") {
    in_process_sim f(options_with(1, 1));
    CHECK(f.post_user("a@example.com").status == 201);
    f.time->advance(1s);
    CHECK(f.post_user("b@example.com").status == 429);
    auto next = f.sim->handle({"POST", "/_sim/next-day", "", "", ""});
    CHECK(next.status == 200);
    CHECK(json::parse(next.body) == json{{"day", "2026-11-29"}});
    CHECK_FALSE(next.counted); // not the client's traffic: no in-flight bracket
    // Neither the stats nor next-day count against the per-second limit.
    CHECK(f.get("/_sim/stats", "").status == 200);
    auto refused_day_two = f.post_user("b@example.com");
    CHECK(refused_day_two.status == 429);
    CHECK(header(refused_day_two, "X-RateLimit-Type") == "QPS");
    f.time->advance(1s);
    CHECK(f.post_user("b@example.com").status == 201);
    f.time->advance(1s);
    auto refused = f.post_user("c@example.com");
    CHECK(header(refused, "Retry-After") == "2026-11-30T00:00:00Z");
    CHECK(f.stats()["requests_total"] == 5);
}

TEST_CASE("zoomsim simulator: OAuth grants expire, several live at once, with a single live "
          "token a new grant invalidates the previous") {
    for (bool single : {false, true}) {
        CAPTURE(single);
        sim_options options = options_with(1000, 100);
        options.client_id = "cid";
        options.client_secret = "secret";
        options.account_id = "acct";
        options.token_ttl = 10s;
        options.single_live_token = single;
        in_process_sim f(options);
        const std::string basic = "Basic Y2lkOnNlY3JldA=="; // cid:secret
        auto grant = [&] {
            auto reply = f.sim->handle(
                {"POST", "/oauth/token?grant_type=account_credentials&account_id=acct", basic, "",
                 ""});
            REQUIRE(reply.status == 200);
            auto body = json::parse(reply.body);
            CHECK(body["token_type"] == "bearer");
            CHECK(body["expires_in"] == 10);
            CHECK(body["scope"] == std::string(default_scopes));
            return "Bearer " + body["access_token"].get<std::string>();
        };
        auto first = grant();
        CHECK(f.get("/v2/users/x@example.com", first).status == 404);
        f.time->advance(5s);
        auto second = grant();
        CHECK(f.get("/v2/users/x@example.com", first).status == (single ? 401 : 404));
        CHECK(f.get("/v2/users/x@example.com", second).status == 404);
        f.time->advance(5s);
        CHECK(f.get("/v2/users/x@example.com", first).status == 401); // its 10 s are over
        f.time->advance(4s);
        CHECK(f.get("/v2/users/x@example.com", second).status == 404);
        f.time->advance(1s);
        CHECK(f.get("/v2/users/x@example.com", second).status == 401);
        auto stats = f.stats();
        CHECK(stats["token_grants"] == 2);
        CHECK(stats["auth_failures"] == (single ? 3 : 2));
    }
}

TEST_CASE("zoomsim simulator: faults are reproducible from the seed") {
    auto run = [](std::uint64_t seed) {
        sim_options options = options_with(1000, 1000);
        options.fail_rate = 0.3;
        options.drop_rate = 0.2;
        options.commit_drop_rate = 0.3;
        options.latency = 100ms;
        options.jitter = 50ms;
        options.seed = seed;
        in_process_sim f(options);
        std::vector<std::pair<int, long>> outcomes;
        for (int i = 0; i < 40; ++i) {
            auto email = std::to_string(i);
            email += "@example.com";
            auto reply = f.post_user(email);
            CHECK(reply.delay >= 50ms);
            CHECK(reply.delay <= 150ms);
            outcomes.emplace_back(reply.what == disposition::drop ? -1 : reply.status,
                                  static_cast<long>(reply.delay.count()));
        }
        return std::pair{outcomes, f.stats()};
    };
    auto [outcomes, stats] = run(42);
    CHECK(run(42).first == outcomes);
    CHECK(run(43).first != outcomes);

    std::set<int> statuses;
    for (auto [status, delay] : outcomes)
        statuses.insert(status);
    CHECK(statuses.contains(201));
    CHECK(statuses.contains(-1));
    CHECK(std::any_of(statuses.begin(), statuses.end(), [](int s) { return s >= 500; }));

    // Injected failures and plain drops have no effect; commit drops create the user.
    const auto created = stats["created"].get<int>();
    const auto commit_dropped = stats["commit_dropped"].get<int>();
    CHECK(commit_dropped > 0);
    CHECK(stats["users_total"] == created + commit_dropped);
    CHECK(stats["creations_by_email"].size() == static_cast<std::size_t>(created + commit_dropped));
    CHECK(stats["failed_injected"].get<int>() + stats["dropped"].get<int>() + created +
              commit_dropped ==
          40);
}

TEST_CASE("zoomsim simulator: the stats document has exactly the agreed keys") {
    in_process_sim f(options_with(1000, 100));
    f.sim->request_started();
    f.sim->request_started();
    f.sim->request_finished();
    f.sim->request_finished();
    f.sim->connection_opened();
    f.sim->connection_opened();
    f.sim->connection_closed_idle();
    auto stats = f.stats();
    std::set<std::string> keys;
    for (const auto& [key, value] : stats.items())
        keys.insert(key);
    CHECK(keys == std::set<std::string>{"requests_total",
                                        "users_total",
                                        "pending_users",
                                        "sub_account_users",
                                        "creations_by_email",
                                        "created",
                                        "conflicts",
                                        "lookups",
                                        "seats_refused",
                                        "licensed_users",
                                        "scope_refused",
                                        "oauth_query_fields",
                                        "status_counts",
                                        "max_requests_in_one_second",
                                        "rate_limited_qps",
                                        "per_second_limits",
                                        "max_in_one_second_by_category",
                                        "rate_limited_qps_by_category",
                                        "rate_limited_daily",
                                        "requests_after_daily_limit",
                                        "token_grants",
                                        "auth_failures",
                                        "max_concurrent_requests",
                                        "dropped",
                                        "commit_dropped",
                                        "failed_injected",
                                        "connections_total",
                                        "connections_closed_idle",
                                        "day",
                                        "creates_today",
                                        "daily_cap",
                                        "group_lists",
                                        "patches",
                                        "groups_set",
                                        "profiles_applied",
                                        "profiles_to_pending",
                                        "member_calls",
                                        "members_added",
                                        "deletes",
                                        "deletes_of_pending",
                                        "delete_misses",
                                        "deletions_by_email",
                                        "user_lists",
                                        "expired_invitations",
                                        "calls_by_operation",
                                        "expired_answers",
                                        "group_id_ignored",
                                        "profile_fields_to_pending",
                                        "member_moves",
                                        "primary_sets",
                                        "deletes_of_active",
                                        "delete_faults",
                                        "deletions_by_id",
                                        "activations"});
    CHECK(stats["max_concurrent_requests"] == 2);
    CHECK(stats["connections_total"] == 2);
    CHECK(stats["connections_closed_idle"] == 1);
    CHECK(stats["creations_by_email"].is_object());
    CHECK(stats["status_counts"].is_object());
}

TEST_CASE("zoomsim simulator: unknown endpoints answer 404") {
    in_process_sim f(options_with(1000, 100));
    CHECK(f.get("/v2/meetings").status == 404);
    CHECK(f.get("/v2/meetings").counted);
    CHECK(f.get("/nowhere", "").status == 404);
    CHECK(f.get("/_sim/nothing", "").status == 404);
    CHECK(f.sim->handle({"DELETE", "/v2/users/a@example.com", "Bearer T", "", ""}).status == 404);
}

TEST_CASE("zoomsim simulator: --existing files take one email a line") {
    zprov::test::temp_dir dir;
    auto good = dir.file("existing.txt", "# exported from the old tenant\r\n"
                                         "ann@example.com\r\n"
                                         "\r\n"
                                         "  Bob@Example.com \n");
    CHECK(read_email_list(good) == std::vector<std::string>{"ann@example.com", "Bob@Example.com"});
    auto bad = dir.file("bad.txt", "ann@example.com\nnot an email\n");
    CHECK_THROWS_WITH_AS(read_email_list(bad), doctest::Contains("line 2"), std::runtime_error);
    CHECK_THROWS_AS(read_email_list(dir.path() + "/missing.txt"), std::runtime_error);
}
