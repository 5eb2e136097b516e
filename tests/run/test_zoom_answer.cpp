#include "zprov/run/zoom_answer.hpp"

#include "zprov/zoom/codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace std::chrono;

namespace {
verdict of(int status, std::string_view body, std::string_view type = "") {
    return classify(read_answer(status, body, type, ""));
}
} // namespace

TEST_CASE("classification table: Zoom's answers") {
    CHECK(of(201, R"({"id":"KDcuGIm1QgePTO8WbOqwIQ","email":"a@x.com"})") == verdict::created);
    CHECK(of(409, R"({"code":1005,"message":"Email a@x.com has already been used."})") ==
          verdict::exists);
    CHECK(of(400, R"({"code":1009,"message":"active in another account"})") == verdict::elsewhere);
    CHECK(of(400, R"({"code":300,"message":"Invalid field: user_info.email"})") ==
          verdict::rejected);
    CHECK(of(404, R"({"code":4130,"message":"Group does not exist: x"})") == verdict::rejected);
    CHECK(of(401, R"({"code":124,"message":"Invalid access token."})") == verdict::refresh_token);
    CHECK(of(400, R"({"code":124,"message":"Invalid access token."})") == verdict::refresh_token);
    CHECK(of(400, R"({"code":200,"message":"No privilege."})") == verdict::account_refused);
    CHECK(of(403, "") == verdict::account_refused);
    CHECK(of(429, R"({"code":429,"message":"You have reached the maximum per-second rate limit"})",
             "QPS") == verdict::rate_limited);
    CHECK(of(429, R"({"code":429,"message":"x"})", "Daily-limit") == verdict::daily_limit);
    CHECK(
        of(429,
           R"({"code":429,"message":"You have exceeded the daily rate limit (50) of user invite requests"})") ==
        verdict::daily_limit);
    for (int s : {500, 502, 503, 504})
        CHECK(of(s, "<html>Bad gateway</html>") == verdict::retry);
}

TEST_CASE("classification: account problems, seats and zprov's own fault") {
    for (int code : {4700, 4711})
        for (int status : {400, 401, 403, 500}) {
            auto body = R"({"code":)" + std::to_string(code) + R"(,"message":"scope"})";
            CHECK(of(status, body) == verdict::account_refused);
        }
    for (int code : {200, 2002, 2032, 2035, 2016})
        CHECK(of(400, R"({"code":)" + std::to_string(code) + R"(,"message":"x"})") ==
              verdict::account_refused);
    for (int code : {2033, 2034, 2038, 3412})
        CHECK(of(400, R"({"code":)" + std::to_string(code) + R"(,"message":"x"})") ==
              verdict::seats_exhausted);
    CHECK(of(400, R"({"code":300,"message":"Request Body should be a valid JSON object."})") ==
          verdict::client_fault);
}

TEST_CASE("every code the facts mark as about the account stops the run, never rejects a row") {
    for (const auto& c : zoom_code_table()) {
        if (c.about != code_subject::account)
            continue;
        CAPTURE(c.code);
        auto v = of(400, R"({"code":)" + std::to_string(c.code) + R"(,"message":"x"})");
        CHECK((v == verdict::account_refused || v == verdict::seats_exhausted));
    }
}

TEST_CASE("an unknown answer is never counted as success") {
    CHECK(of(200, "<html>captive portal</html>") == verdict::retry);
    CHECK(of(201, "not json") == verdict::retry);
    CHECK(of(204, "") == verdict::retry);
    CHECK(of(302, "") == verdict::retry);
}

TEST_CASE("read_answer keeps Zoom's code, message and id") {
    auto a = read_answer(409, R"({"code":1005,"message":"Email taken"})", "", "");
    CHECK(a.code == 1005);
    CHECK(a.message == "Email taken");
    auto html = read_answer(502, "<html>\nBad\ngateway</html>", "", "");
    CHECK_FALSE(html.code);
    CHECK(html.message == "<html> Bad gateway</html>");
}

TEST_CASE("an id that cannot be a path segment is no id: a 201 with it is not recorded") {
    for (const char* id : {"..", ".", ""}) {
        const std::string body = std::string(R"({"id":")") + id + R"(","email":"a@x.com"})";
        CHECK(read_answer(201, body, "", "").user_id.empty());
        CHECK(of(201, body) == verdict::retry);
    }
    CHECK(read_answer(201, R"({"id":"u/1"})", "", "").user_id == "u/1"); // encoded in paths
}

TEST_CASE("Retry-After: seconds, ISO 8601 and HTTP-date") {
    auto now = *parse_iso8601("2026-11-28T15:00:00Z");
    CHECK(retry_after_time("30", now) == now + seconds(30));
    CHECK(iso8601(*retry_after_time("2026-11-29T00:00:00Z", now)) == "2026-11-29T00:00:00Z");
    CHECK(iso8601(*retry_after_time("Sun, 29 Nov 2026 00:00:00 GMT", now)) ==
          "2026-11-29T00:00:00Z");
    CHECK_FALSE(retry_after_time("", now));
    CHECK_FALSE(retry_after_time("soon", now));
    CHECK_FALSE(retry_after_time("-5", now));
}

TEST_CASE("backoff: full jitter within the capped exponential bound") {
    std::mt19937_64 rng(42);
    for (int attempt = 0; attempt < 12; ++attempt) {
        auto bound = std::min<long long>(500LL << std::min(attempt, 20), 30'000);
        long long most = 0;
        for (int i = 0; i < 200; ++i) {
            long long d =
                backoff_delay(attempt, milliseconds(500), milliseconds(30'000), rng).count();
            CHECK(d >= 0);
            CHECK(d <= bound);
            most = std::max(most, d);
        }
        CHECK(most > bound / 2); // the jitter spans the range
    }
}
