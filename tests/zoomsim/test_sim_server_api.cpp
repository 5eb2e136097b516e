// Integration tests of zoomsim's API: the real process on 127.0.0.1, driven with curl as a
// client would drive Zoom, checked on its answers and on its own record (GET /_sim/stats):
// creates, validation, tokens, OAuth, rate limits and the daily cap, user lookups.
#include "support/sim_curl.hpp"
#include "support/timing.hpp"
#include "zoomsim/simulator.hpp"
#include "zprov/base/clock.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace {
using nlohmann::json;
using namespace zprov::test;
using namespace std::chrono_literals;
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("zoomsim: JSON create answers 201 then 409 for the same email in any case") {
    temp_dir dir;
    zoomsim_server sim(dir, token_and_room);
    auto created = post_json(sim, user_json("Ann.Lee@Example.com")).only();
    CHECK(created.status == 201);
    auto body = created.document();
    CHECK(body["email"] == "Ann.Lee@Example.com");
    CHECK(body["first_name"] == "Ann");
    CHECK(body["last_name"] == "Lee");
    CHECK(body["type"] == 1);
    REQUIRE(body["id"].is_string());
    CHECK(created.header("content-location") == "/v2/users/" + body["id"].get<std::string>());
    CHECK(created.header("content-type").starts_with("application/json"));

    auto again = post_json(sim, user_json("ann.lee@EXAMPLE.com")).only();
    CHECK(again.status == 409);
    CHECK(again.document() ==
          json{{"code", 1005}, {"message", "Email ann.lee@EXAMPLE.com has already been used."}});

    auto stats = sim.stats();
    CHECK(stats["created"] == 1);
    CHECK(stats["conflicts"] == 1);
    CHECK(stats["users_total"] == 1);
    CHECK(stats["creations_by_email"] == json{{"ann.lee@example.com", 1}});
    CHECK(stats["status_counts"] == json{{"201", 1}, {"409", 1}});
    CHECK(stats["creates_today"] == 2);
    CHECK(stats["requests_total"] == 2);
}

TEST_CASE("zoomsim: --existing emails answer 409 and GET shows them active") {
    temp_dir dir;
    auto existing = dir.file("existing.txt", "old@example.com\n\nOther@Example.com\n");
    auto args = token_and_room;
    args.insert(args.end(), {"--existing", existing});
    zoomsim_server sim(dir, args);
    CHECK(post_json(sim, user_json("OLD@example.com")).only().status == 409);
    CHECK(post_json(sim, user_json("other@example.com")).only().status == 409);
    CHECK(post_json(sim, user_json("new@example.com")).only().status == 201);
    auto old = get_user(sim, "old@example.com").only();
    CHECK(old.status == 200);
    CHECK(old.document()["status"] == "active");
    auto stats = sim.stats();
    CHECK(stats["users_total"] == 3);
    CHECK(stats["conflicts"] == 2);
    CHECK(stats["creations_by_email"] == json{{"new@example.com", 1}});
}

TEST_CASE("zoomsim: each invalid field answers 400/300 naming it, and nothing is created") {
    temp_dir dir;
    zoomsim_server sim(dir, token_and_room);
    const std::string long_name(65, 'x');
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{\"action\":\"create\",", "Request Body should be a valid JSON object."},
        {R"({"user_info":{"email":"a@example.com","type":1}})", "Invalid field: action"},
        {R"({"action":"invite","user_info":{"email":"a@example.com","type":1}})",
         "Invalid field: action"},
        {R"({"action":"create"})", "Invalid field: user_info"},
        {R"({"action":"create","user_info":{"type":1}})", "Invalid field: user_info.email"},
        {R"({"action":"create","user_info":{"email":"a@@example.com","type":1}})",
         "Invalid field: user_info.email"},
        {R"({"action":"create","user_info":{"email":"a@example.com"}})",
         "Invalid field: user_info.type"},
        {R"({"action":"create","user_info":{"email":"a@example.com","type":3}})",
         "Invalid field: user_info.type"},
        {R"({"action":"create","user_info":{"email":"a@example.com","type":99}})",
         "Invalid field: user_info.type"},
        {user_json("a@example.com", "create", R"(,"first_name":")" + long_name + "\""),
         "Invalid field: user_info.first_name"},
        {user_json("a@example.com", "create", R"(,"last_name":")" + long_name + "\""),
         "Invalid field: user_info.last_name"},
        {user_json("a@example.com", "create",
                   R"(,"display_name":")" + std::string(129, 'x') + "\""),
         "Invalid field: user_info.display_name"},
        {user_json("a@example.com", "autoCreate", R"(,"password":"12345678Ab")"),
         "Invalid field: user_info.password"},
    };
    for (const auto& [body, message] : cases) {
        CAPTURE(body);
        auto answer = post_json(sim, body).only();
        CHECK(answer.status == 400);
        CHECK(answer.document()["code"] == 300);
        CHECK(answer.document()["message"] == message);
    }
    // With a password that follows the rules, autoCreate works.
    CHECK(post_json(sim, user_json("a@example.com", "autoCreate", R"(,"password":"Secr3tPass")"))
              .only()
              .status == 201);
    auto stats = sim.stats();
    CHECK(stats["status_counts"]["400"] == cases.size());
    CHECK(stats["users_total"] == 1);
    CHECK(stats["creates_today"] == 0); // validation comes before the daily cap
}

TEST_CASE("zoomsim: the seed's curl command verbatim answers 400/300 for ssoCreate{...}") {
    temp_dir dir;
    zoomsim_server sim(dir, token_and_room);
    // ../shared/zoom/seed-create-users.txt, "Curl Command", lines joined with spaces.
    std::string command = R"(curl -X POST
-H "Authorization: Bearer <access_token>"
-H "Content-Type: multipart/form-data"
--form 'action=ssoCreate'
--form 'user_info=ssoCreate{"email":"et qui reprehenderit","type":1,"first_name":"nostrud enim","last_name":"fugiat Excepteur of","password":"consectetur irure moll"}'
https://api.zoom.us/v2/users)";
    std::replace(command.begin(), command.end(), '\n', ' ');
    command = replace_once(command, "<access_token>", "T");
    command = replace_once(command, "https://api.zoom.us/v2/users", sim.url("/v2/users"));
    auto r = run_process({"/bin/sh", "-c", command + " -sS -i --max-time 10 --noproxy '*'"});
    CHECK(r.exit_code == 0);
    auto responses = parse_responses(r.out);
    REQUIRE(responses.size() == 1);
    CHECK(responses[0].status == 400);
    CHECK(responses[0].document()["code"] == 300);
    CHECK(responses[0].document()["message"] == "Invalid field: user_info");
    CHECK(sim.stats()["users_total"] == 0);
}

TEST_CASE("zoomsim: a multipart create like the seed's Postman item with a real email is 201") {
    temp_dir dir;
    zoomsim_server sim(dir, token_and_room);
    // The Postman item's formdata, with a deliverable email in user_info.
    auto created =
        curl({"-X", "POST", "-H", "Authorization: Bearer T", "-H",
              "Content-Type: multipart/form-data", "--form", "action=ssoCreate", "--form",
              R"(user_info={"email":"et.qui@example.com","type":1,)"
              R"("first_name":"nostrud enim","last_name":"fugiat Excepteur of",)"
              R"("password":"consectetur irure moll"})",
              sim.url("/v2/users")})
            .only();
    CHECK(created.status == 201);
    CHECK(created.document()["email"] == "et.qui@example.com");
    CHECK(created.document()["first_name"] == "nostrud enim");
    auto user = get_user(sim, "et.qui@example.com").only();
    CHECK(user.document()["status"] == "active");
    CHECK(sim.stats()["creates_today"] == 0); // ssoCreate is not daily-capped
}

TEST_CASE("zoomsim: a missing, wrong or non-bearer token answers 401/124") {
    temp_dir dir;
    zoomsim_server sim(dir, token_and_room);
    const json invalid{{"code", 124}, {"message", "Invalid access token."}};
    auto none = curl({"-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
                      user_json("a@example.com"), sim.url("/v2/users")})
                    .only();
    CHECK(none.status == 401);
    CHECK(none.document() == invalid);
    CHECK(post_json(sim, user_json("a@example.com"), "wrong").only().document() == invalid);
    CHECK(curl({"-H", "Authorization: Basic VDpU", sim.url("/v2/users/a@example.com")})
              .only()
              .status == 401);
    auto stats = sim.stats();
    CHECK(stats["auth_failures"] == 3);
    CHECK(stats["users_total"] == 0);
}

TEST_CASE("zoomsim: OAuth grants tokens that expire, --single-live-token invalidates the previous "
          "at a new grant") {
    temp_dir dir;
    zoomsim_server sim(dir, {"--client-id", "cid", "--client-secret", "s3cret", "--account-id",
                             "acct", "--token-ttl", "2", "--qps", "1000", "--single-live-token"});
    auto grant_with_query = [&] {
        return curl({"-X", "POST", "-u", "cid:s3cret",
                     sim.url("/oauth/token?grant_type=account_credentials&account_id=acct")})
            .only();
    };
    auto first = grant_with_query();
    REQUIRE(first.status == 200);
    auto first_body = first.document();
    CHECK(first_body["token_type"] == "bearer");
    CHECK(first_body["expires_in"] == 2);
    CHECK(first_body["scope"] == std::string(zoomsim::default_scopes));
    const auto token_a = first_body["access_token"].get<std::string>();
    CHECK(get_user(sim, "x@example.com", token_a).only().status == 404);

    // The same grant as a form body; it invalidates the first token.
    const auto granted_at = std::chrono::steady_clock::now();
    auto second = curl({"-u", "cid:s3cret", "-d", "grant_type=account_credentials", "-d",
                        "account_id=acct", sim.url("/oauth/token")})
                      .only();
    REQUIRE(second.status == 200);
    const auto token_b = second.document()["access_token"].get<std::string>();
    CHECK(token_b != token_a);
    CHECK(get_user(sim, "x@example.com", token_a).only().status == 401);
    CHECK(get_user(sim, "x@example.com", token_b).only().status == 404);

    std::this_thread::sleep_until(granted_at + 2300ms);
    auto expired = get_user(sim, "x@example.com", token_b).only();
    CHECK(expired.status == 401);
    CHECK(expired.document()["code"] == 124);

    auto stats = sim.stats();
    CHECK(stats["token_grants"] == 2);
    CHECK(stats["auth_failures"] == 2);
}

TEST_CASE("zoomsim: OAuth refuses bad client credentials, grant type and account id") {
    temp_dir dir;
    zoomsim_server sim(dir,
                       {"--client-id", "cid", "--client-secret", "s3cret", "--account-id", "acct"});
    const std::string good_query = "/oauth/token?grant_type=account_credentials&account_id=acct";
    const json invalid_client{{"reason", "Invalid client_id or client_secret"},
                              {"error", "invalid_client"}};
    auto wrong_secret = curl({"-X", "POST", "-u", "cid:nope", sim.url(good_query)}).only();
    CHECK(wrong_secret.status == 401);
    CHECK(wrong_secret.document() == invalid_client);
    CHECK(curl({"-X", "POST", sim.url(good_query)}).only().document() == invalid_client);

    for (const auto& query : {"/oauth/token?grant_type=account_credentials&account_id=other",
                              "/oauth/token?grant_type=account_credentials",
                              "/oauth/token?grant_type=client_credentials&account_id=acct",
                              "/oauth/token?account_id=acct"}) {
        CAPTURE(query);
        auto refused = curl({"-X", "POST", "-u", "cid:s3cret", sim.url(query)}).only();
        CHECK(refused.status == 400);
        CHECK(refused.document()["error"] == "invalid_request");
        CHECK_FALSE(refused.document()["reason"].get<std::string>().empty());
    }
    CHECK(sim.stats()["token_grants"] == 0);
}

TEST_CASE("zoomsim: the per-second limit answers 429 QPS with Zoom's headers" * timing) {
    temp_dir dir;
    zoomsim_server sim(dir, {"--access-token", "T", "--qps", "1"});
    // Two requests on one connection, well within one second.
    auto r = curl({"-H", "Authorization: Bearer T", sim.url("/v2/users/a@example.com"),
                   sim.url("/v2/users/b@example.com")});
    REQUIRE(r.responses.size() == 2);
    CHECK(r.responses[0].status == 404);
    const auto& limited = r.responses[1];
    CHECK(limited.status == 429);
    CHECK(limited.header("x-ratelimit-category") == "Light");
    CHECK(limited.header("x-ratelimit-type") == "QPS");
    CHECK(limited.header("retry-after") == "");
    CHECK(limited.document() ==
          json{{"code", 429},
               {"message", "You have reached the maximum per-second rate limit for this API. "
                           "Try again later."}});
    auto stats = sim.stats();
    CHECK(stats["rate_limited_qps"] == 1);
    CHECK(stats["max_requests_in_one_second"] == 2);
    CHECK(stats["status_counts"] == json{{"404", 1}, {"429", 1}});
}

TEST_CASE("zoomsim: the daily cap answers 429 Daily-limit with every header and Zoom's message") {
    temp_dir dir;
    zoomsim_server sim(dir, {"--access-token", "T", "--qps", "1000", "--daily-cap", "2"});
    CHECK(post_json(sim, user_json("a@example.com")).only().status == 201);
    CHECK(post_json(sim, user_json("a@example.com")).only().status == 409); // counts too
    auto refused = post_json(sim, user_json("b@example.com")).only();
    CHECK(refused.status == 429);
    CHECK(refused.header("x-ratelimit-category") == "Light");
    CHECK(refused.header("x-ratelimit-type") == "Daily-limit");
    CHECK(refused.header("x-ratelimit-limit") == "2");
    CHECK(refused.header("x-ratelimit-remaining") == "0");
    auto stats = sim.stats();
    CHECK(refused.header("retry-after") == next_midnight(stats["day"].get<std::string>()));
    CHECK(refused.document() ==
          json{{"code", 429},
               {"message", "You have exceeded the daily rate limit (2) of user invite requests "
                           "permitted for this account. You may resume these requests at GMT "
                           "00:00:00."}});
    CHECK(post_json(sim, user_json("c@example.com")).only().status == 429);
    stats = sim.stats();
    CHECK(stats["rate_limited_daily"] == 2);
    CHECK(stats["requests_after_daily_limit"] == 1);
    CHECK(stats["creates_today"] == 2);
    CHECK(stats["daily_cap"] == 2);
    CHECK(stats["users_total"] == 1);
}

TEST_CASE("zoomsim: POST /_sim/next-day starts a new day with a fresh daily cap") {
    temp_dir dir;
    zoomsim_server sim(dir, {"--access-token", "T", "--qps", "1000", "--daily-cap", "1"});
    CHECK(post_json(sim, user_json("a@example.com")).only().status == 201);
    CHECK(post_json(sim, user_json("b@example.com")).only().status == 429);
    const auto day_one = sim.stats()["day"].get<std::string>();

    auto next = curl({"-X", "POST", sim.url("/_sim/next-day")}).only();
    CHECK(next.status == 200);
    const auto day_two = next.document()["day"].get<std::string>();
    CHECK(next_midnight(day_one).starts_with(day_two));

    auto created = post_json(sim, user_json("b@example.com")).only();
    CHECK(created.status == 201);
    auto refused = post_json(sim, user_json("c@example.com")).only();
    CHECK(refused.status == 429);
    CHECK(refused.header("retry-after") == next_midnight(day_two));
    auto stats = sim.stats();
    CHECK(stats["day"] == day_two);
    CHECK(stats["creates_today"] == 1);
    CHECK(stats["requests_after_daily_limit"] == 0);
    CHECK(stats["users_total"] == 2);
}

TEST_CASE("zoomsim: GET a user by email or id, pending when made with create, 404 unknown") {
    temp_dir dir;
    zoomsim_server sim(dir, token_and_room);
    auto created = post_json(sim, user_json("pat@example.com")).only();
    REQUIRE(created.status == 201);
    const auto id = created.document()["id"].get<std::string>();
    for (const auto& who : {std::string("pat@example.com"), std::string("PAT%40example.com"), id}) {
        CAPTURE(who);
        auto user = get_user(sim, who).only();
        CHECK(user.status == 200);
        auto doc = user.document();
        // Zoom's created_at and user_created_at: ISO 8601 UTC times, as zprov reads them.
        CHECK(zprov::parse_iso8601(doc["created_at"].get<std::string>()));
        CHECK(zprov::parse_iso8601(doc["user_created_at"].get<std::string>()));
        doc.erase("created_at");
        doc.erase("user_created_at");
        CHECK(doc == json{{"id", id},
                          {"email", "pat@example.com"},
                          {"first_name", "Ann"},
                          {"last_name", "Lee"},
                          {"display_name", "Ann Lee"},
                          {"type", 1},
                          {"status", "pending"},
                          {"group_ids", json::array()}});
    }
    auto missing = get_user(sim, "nobody@example.com").only();
    CHECK(missing.status == 404);
    CHECK(missing.document() ==
          json{{"code", 1001}, {"message", "User does not exist: nobody@example.com."}});
}

TEST_CASE("zoomsim: POST /_sim/advance past an invitation's days expires it: 400/1120, out of "
          "the pending list") {
    auto args = token_and_room;
    args.insert(args.end(), {"--invitation-days", "2"});
    temp_dir dir;
    zoomsim_server sim(dir, args);
    REQUIRE(post_json(sim, user_json("pat@example.com")).only().status == 201);
    auto pending = [&] {
        return curl({"-H", "Authorization: Bearer T", sim.url("/v2/users?status=pending")})
            .only()
            .document()["total_records"];
    };
    CHECK(pending() == 1);
    auto moved = curl({"-X", "POST", "--data-binary", R"({"days":2})", sim.url("/_sim/advance")});
    CHECK(moved.only().status == 200);
    CHECK(pending() == 0);
    auto expired = get_user(sim, "pat@example.com").only();
    CHECK(expired.status == 400);
    CHECK(expired.document()["code"] == 1120);
    CHECK(curl({"-X", "POST", "--data-binary", R"({"days":-1})", sim.url("/_sim/advance")})
              .only()
              .status == 400);
}

TEST_SUITE_END();
