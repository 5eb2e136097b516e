// Integration tests of zoomsim: the real process on 127.0.0.1 (--port 0 --port-file),
// driven with curl as a client would drive Zoom, checked on its answers and on its own
// record (GET /_sim/stats). Every wait is bounded.
#include "process.hpp"
#include "zprov/clock.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <thread>

namespace {
using nlohmann::json;
using zprov::test::background_process;
using zprov::test::run_process;
using zprov::test::temp_dir;
using namespace std::chrono_literals;

const std::string zoomsim_bin = ZOOMSIM_BIN;
const std::string curl_bin = "/usr/bin/curl";

struct http_response {
    int status = 0;
    std::map<std::string, std::string> headers; // names lower-cased
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
    json document() const { return json::parse(body); }
};

struct curl_result {
    int exit_code = -1;
    std::vector<http_response> responses; // final answers in order (1xx skipped)
    std::string err;

    const http_response& only() const {
        REQUIRE_MESSAGE(responses.size() == 1, "curl exit " << exit_code << ": " << err);
        return responses.front();
    }
};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Splits `curl -i` output into responses; zoomsim always sends Content-Length.
std::vector<http_response> parse_responses(std::string_view text) {
    std::vector<http_response> responses;
    while (text.starts_with("HTTP/")) {
        auto end = text.find("\r\n\r\n");
        if (end == std::string_view::npos)
            break;
        auto head = text.substr(0, end);
        text.remove_prefix(end + 4);
        http_response response;
        auto line_end = head.find("\r\n");
        auto status_line = head.substr(0, line_end);
        response.status = std::stoi(std::string(status_line.substr(status_line.find(' ') + 1, 3)));
        while (line_end != std::string_view::npos) {
            head.remove_prefix(line_end + 2);
            line_end = head.find("\r\n");
            auto line = head.substr(0, line_end);
            auto colon = line.find(':');
            if (colon == std::string_view::npos)
                continue;
            auto value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
            response.headers[lower(std::string(line.substr(0, colon)))] = std::string(value);
        }
        if (response.status < 200)
            continue;
        auto length = response.headers.count("content-length")
                          ? std::stoul(response.headers["content-length"])
                          : text.size();
        length = std::min(length, text.size());
        response.body = std::string(text.substr(0, length));
        text.remove_prefix(length);
        responses.push_back(std::move(response));
    }
    return responses;
}

// curl with its output parsed; the proxy environment is ignored so traffic stays local.
curl_result curl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{curl_bin, "-sS", "-i", "--max-time", "10", "--noproxy", "*"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_process(argv, "", std::chrono::seconds(30));
    return {r.exit_code, parse_responses(r.out), r.err};
}

// The status of each URL in one curl run (one keep-alive connection); 0 for no answer.
std::vector<int> curl_statuses(const std::vector<std::string>& options,
                               const std::vector<std::string>& urls) {
    std::vector<std::string> argv{curl_bin,    "-s", "--max-time", "10",
                                  "--noproxy", "*",  "-w",         "%{http_code}\\n"};
    argv.insert(argv.end(), options.begin(), options.end());
    for (const auto& url : urls) {
        argv.push_back("-o");
        argv.push_back("/dev/null");
        argv.push_back(url);
    }
    auto r = run_process(argv, "", std::chrono::seconds(30));
    std::vector<int> statuses;
    std::size_t start = 0;
    while (start < r.out.size()) {
        auto end = r.out.find('\n', start);
        statuses.push_back(std::stoi(r.out.substr(start, end - start)));
        start = end + 1;
    }
    return statuses;
}

// zoomsim on a free port of 127.0.0.1, killed at the end of the test.
class zoomsim_process {
public:
    explicit zoomsim_process(const std::vector<std::string>& args = {})
        : port_file_(dir_.path() + "/port") {
        std::vector<std::string> argv{zoomsim_bin, "--port", "0", "--port-file", port_file_};
        argv.insert(argv.end(), args.begin(), args.end());
        process_ = std::make_unique<background_process>(argv);
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        for (;;) {
            std::ifstream in(port_file_);
            if (std::getline(in, port_) && !port_.empty())
                break;
            REQUIRE_MESSAGE(process_->running(), "zoomsim exited: " << process_->err());
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "zoomsim did not start");
            std::this_thread::sleep_for(10ms);
        }
    }

    std::string url(const std::string& path, const std::string& scheme = "http") const {
        return scheme + "://127.0.0.1:" + port_ + path;
    }
    json stats() const { return curl({url("/_sim/stats")}).only().document(); }
    background_process& process() { return *process_; }
    const std::string& port_file() const { return port_file_; }
    const temp_dir& dir() const { return dir_; }

private:
    temp_dir dir_;
    std::string port_file_;
    std::unique_ptr<background_process> process_;
    std::string port_;
};

std::string user_json(const std::string& email, const std::string& action = "create",
                      const std::string& extra = "") {
    return R"({"action":")" + action + R"(","user_info":{"email":")" + email +
           R"(","type":1,"first_name":"Ann","last_name":"Lee")" + extra + "}}";
}

curl_result post_json(const zoomsim_process& sim, const std::string& body,
                      const std::string& token = "T") {
    return curl({"-X", "POST", "-H", "Authorization: Bearer " + token, "-H",
                 "Content-Type: application/json", "--data-binary", body, sim.url("/v2/users")});
}

curl_result get_user(const zoomsim_process& sim, const std::string& who,
                     const std::string& token = "T") {
    return curl({"-H", "Authorization: Bearer " + token, sim.url("/v2/users/" + who)});
}

// "2026-11-28" -> "2026-11-29T00:00:00Z".
std::string next_midnight(const std::string& day) {
    using namespace std::chrono;
    year_month_day ymd{year{std::stoi(day.substr(0, 4))},
                       month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                       std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
    year_month_day next{sys_days{ymd} + days{1}};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT00:00:00Z", static_cast<int>(next.year()),
                  static_cast<unsigned>(next.month()), static_cast<unsigned>(next.day()));
    return text;
}

std::string replace_once(const std::string& text, std::string_view from, std::string_view to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    std::string out(text, 0, at);
    out.append(to).append(text, at + from.size());
    return out;
}

const std::vector<std::string> token_and_room = {"--access-token", "T",           "--qps",
                                                 "1000",           "--daily-cap", "1000"};
} // namespace

TEST_CASE("zoomsim: JSON create answers 201 then 409 for the same email in any case") {
    zoomsim_process sim(token_and_room);
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
    zoomsim_process sim(args);
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
    zoomsim_process sim(token_and_room);
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
    zoomsim_process sim(token_and_room);
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
    zoomsim_process sim(token_and_room);
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
    zoomsim_process sim(token_and_room);
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

TEST_CASE("zoomsim: OAuth grants tokens that expire and are invalidated by a new grant") {
    zoomsim_process sim({"--client-id", "cid", "--client-secret", "s3cret", "--account-id", "acct",
                         "--token-ttl", "2", "--qps", "1000"});
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
    CHECK(first_body["scope"] == "user:write:admin user:read:admin");
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
    zoomsim_process sim(
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

TEST_CASE("zoomsim: the per-second limit answers 429 QPS with Zoom's headers") {
    zoomsim_process sim({"--access-token", "T", "--qps", "1"});
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
    zoomsim_process sim({"--access-token", "T", "--qps", "1000", "--daily-cap", "2"});
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
    zoomsim_process sim({"--access-token", "T", "--qps", "1000", "--daily-cap", "1"});
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
    zoomsim_process sim(token_and_room);
    auto created = post_json(sim, user_json("pat@example.com")).only();
    REQUIRE(created.status == 201);
    const auto id = created.document()["id"].get<std::string>();
    for (const auto& who : {std::string("pat@example.com"), std::string("PAT%40example.com"), id}) {
        CAPTURE(who);
        auto user = get_user(sim, who).only();
        CHECK(user.status == 200);
        auto doc = user.document();
        // Zoom's created_at: an ISO 8601 UTC time, as zprov reads it.
        CHECK(zprov::parse_iso8601(doc["created_at"].get<std::string>()));
        doc.erase("created_at");
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

TEST_CASE("zoomsim: --fail-rate answers 500, 502 or 503 with no effect") {
    auto args = token_and_room;
    args.insert(args.end(), {"--fail-rate", "1", "--seed", "5"});
    zoomsim_process sim(args);
    auto failed = post_json(sim, user_json("a@example.com")).only();
    CHECK(std::set<int>{500, 502, 503}.contains(failed.status));
    auto stats = sim.stats();
    CHECK(stats["failed_injected"] == 1);
    CHECK(stats["users_total"] == 0);
    CHECK(stats["creates_today"] == 0);
}

TEST_CASE("zoomsim: --drop-rate closes the connection unanswered with no effect") {
    auto args = token_and_room;
    args.insert(args.end(), {"--drop-rate", "1", "--seed", "5"});
    zoomsim_process sim(args);
    auto dropped = post_json(sim, user_json("a@example.com"));
    CHECK(dropped.exit_code != 0);
    CHECK(dropped.responses.empty());
    auto stats = sim.stats();
    CHECK(stats["dropped"] == 1);
    CHECK(stats["users_total"] == 0);
    CHECK(stats["creations_by_email"].empty());
}

TEST_CASE("zoomsim: --commit-drop-rate creates the user, then closes unanswered") {
    auto args = token_and_room;
    args.insert(args.end(), {"--commit-drop-rate", "1", "--seed", "5"});
    zoomsim_process sim(args);
    auto dropped = post_json(sim, user_json("a@example.com"));
    CHECK(dropped.exit_code != 0);
    CHECK(dropped.responses.empty());
    // The user exists though no answer came: a retry gets 409, GET finds it.
    CHECK(post_json(sim, user_json("a@example.com")).only().status == 409);
    CHECK(get_user(sim, "a@example.com").only().status == 200);
    auto stats = sim.stats();
    CHECK(stats["commit_dropped"] == 1);
    CHECK(stats["created"] == 0);
    CHECK(stats["creations_by_email"] == json{{"a@example.com", 1}});
}

TEST_CASE("zoomsim: the same --seed injects the same faults in the same order") {
    std::vector<std::string> urls;
    for (int i = 0; i < 16; ++i)
        urls.push_back("/v2/users/u" + std::to_string(i) + "@example.com");
    auto run = [&urls] {
        auto args = token_and_room;
        args.insert(args.end(), {"--fail-rate", "0.5", "--seed", "9"});
        zoomsim_process sim(args);
        std::vector<std::string> full;
        for (const auto& url : urls)
            full.push_back(sim.url(url));
        return curl_statuses({"-H", "Authorization: Bearer T"}, full);
    };
    auto first = run();
    REQUIRE(first.size() == urls.size());
    CHECK(run() == first);
    CHECK(std::count(first.begin(), first.end(), 404) > 0);
    CHECK(std::count_if(first.begin(), first.end(), [](int s) { return s >= 500; }) > 0);
}

TEST_CASE("zoomsim: --latency-ms delays answers without holding up other connections") {
    auto args = token_and_room;
    args.insert(args.end(), {"--latency-ms", "400", "--seed", "1"});
    zoomsim_process sim(args);
    std::vector<std::string> argv{curl_bin,
                                  "-s",
                                  "--noproxy",
                                  "*",
                                  "--max-time",
                                  "10",
                                  "-Z",
                                  "--parallel-immediate",
                                  "--parallel-max",
                                  "8",
                                  "-H",
                                  "Authorization: Bearer T",
                                  "-w",
                                  "%{http_code}\\n"};
    for (int i = 0; i < 5; ++i)
        argv.insert(argv.end(), {"-o", "/dev/null", sim.url("/v2/users/a@example.com")});
    const auto start = std::chrono::steady_clock::now();
    auto r = run_process(argv, "", std::chrono::seconds(30));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.exit_code == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 5);
    CHECK(elapsed >= 400ms);
    CHECK(elapsed < 1800ms); // one after the other would take 2 s
    CHECK(sim.stats()["max_concurrent_requests"].get<int>() >= 2);
}

TEST_CASE("zoomsim: keep-alive serves many requests on one connection") {
    zoomsim_process sim(token_and_room);
    std::vector<std::string> argv{curl_bin,     "-s",
                                  "--noproxy",  "*",
                                  "--max-time", "10",
                                  "-H",         "Authorization: Bearer T",
                                  "-w",         "%{num_connects}\\n"};
    for (int i = 0; i < 3; ++i)
        argv.insert(argv.end(), {"-o", "/dev/null", sim.url("/v2/users/a@example.com")});
    auto r = run_process(argv, "", std::chrono::seconds(30));
    CHECK(r.out == "1\n0\n0\n");
    auto stats = sim.stats();
    CHECK(stats["status_counts"] == json{{"404", 3}});
    CHECK(stats["connections_total"] == 2); // curl's, and this stats read's
    CHECK(stats["connections_closed_idle"] == 0);
}

TEST_CASE("zoomsim: TLS with a test CA is verified by curl and plain HTTP shares the port") {
    temp_dir dir;
    auto path = [&dir](const std::string& name) { return dir.path() + "/" + name; };
    auto openssl = [](std::vector<std::string> args) {
        args.insert(args.begin(), "/usr/bin/openssl");
        auto r = run_process(args, "", std::chrono::seconds(60));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    };
    dir.file("ca.cnf", "[req]\ndistinguished_name = dn\nx509_extensions = v3_ca\nprompt = no\n"
                       "[dn]\nCN = zoomsim test CA\n"
                       "[v3_ca]\nbasicConstraints = critical,CA:TRUE\n"
                       "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n");
    dir.file("server.cnf", "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = localhost\n");
    dir.file("server.ext", "subjectAltName = DNS:localhost,IP:127.0.0.1\n"
                           "basicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\n"
                           "extendedKeyUsage = serverAuth\n");
    const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};
    auto ca =
        std::vector<std::string>{"req", "-x509",   "-config",      path("ca.cnf"), "-days",
                                 "2",   "-keyout", path("ca.key"), "-out",         path("ca.pem")};
    ca.insert(ca.end(), ec_key.begin(), ec_key.end());
    openssl(ca);
    auto csr = std::vector<std::string>{"req",     "-new",
                                        "-config", path("server.cnf"),
                                        "-keyout", path("server.key"),
                                        "-out",    path("server.csr")};
    csr.insert(csr.end(), ec_key.begin(), ec_key.end());
    openssl(csr);
    openssl({"x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey",
             path("ca.key"), "-set_serial", "1", "-days", "2", "-extfile", path("server.ext"),
             "-out", path("server.pem")});

    auto args = token_and_room;
    args.insert(args.end(), {"--tls-cert", path("server.pem"), "--tls-key", path("server.key")});
    zoomsim_process sim(args);
    auto created = curl({"--cacert", path("ca.pem"), "-X", "POST", "-H", "Authorization: Bearer T",
                         "-H", "Content-Type: application/json", "--data-binary",
                         user_json("tls@example.com"), sim.url("/v2/users", "https")})
                       .only();
    CHECK(created.status == 201);
    // Without the test CA the certificate is not trusted: verification is real.
    auto untrusted = curl({sim.url("/_sim/stats", "https")});
    CHECK(untrusted.exit_code == 60);
    CHECK(untrusted.responses.empty());
    // Plain HTTP on the same port.
    CHECK(sim.stats()["created"] == 1);
}

TEST_CASE("zoomsim: SIGTERM and SIGINT stop it promptly with exit code 0") {
    for (int signal_number : {SIGTERM, SIGINT}) {
        CAPTURE(signal_number);
        zoomsim_process sim({"--access-token", "T", "--latency-ms", "20000"});
        // A request held for 20 s must not hold the exit up.
        background_process client({curl_bin, "-s", "--noproxy", "*", "--max-time", "30", "-H",
                                   "Authorization: Bearer T", sim.url("/v2/users/a@example.com")});
        for (int i = 0; i < 500 && sim.stats()["max_concurrent_requests"] == 0; ++i)
            std::this_thread::sleep_for(10ms);
        REQUIRE(sim.stats()["max_concurrent_requests"] == 1);
        sim.process().send_signal(signal_number);
        CHECK(sim.process().wait(5s) == 0);
        CHECK_FALSE(std::filesystem::exists(sim.port_file()));
        CHECK(client.wait(5s).has_value());
    }
}

TEST_CASE("zoomsim: --help documents every option and bad options exit 64") {
    auto help = run_process({zoomsim_bin, "--help"});
    CHECK(help.exit_code == 0);
    for (const auto* option : {"--listen",
                               "--port",
                               "--port-file",
                               "--plan",
                               "--qps",
                               "--daily-cap",
                               "--access-token",
                               "--client-id",
                               "--client-secret",
                               "--account-id",
                               "--token-ttl",
                               "--tls-cert",
                               "--tls-key",
                               "--latency-ms",
                               "--jitter-ms",
                               "--fail-rate",
                               "--drop-rate",
                               "--commit-drop-rate",
                               "--existing",
                               "--seed",
                               "--spent-today",
                               "--no-quota-headers",
                               "--bare-daily-429",
                               "--idle-close",
                               "/_sim/stats",
                               "/_sim/next-day",
                               "/_sim/activate"}) {
        CAPTURE(option);
        CHECK(help.out.find(option) != std::string::npos);
    }
    CHECK(run_process({zoomsim_bin, "--plan", "gold"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--client-id", "cid"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--fail-rate", "2"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--listen", "not-an-address"}).exit_code == 64);
    temp_dir dir;
    auto bad = dir.file("existing.txt", "not an email\n");
    auto refused = run_process({zoomsim_bin, "--existing", bad});
    CHECK(refused.exit_code == 78);
    CHECK(refused.err.find("line 1") != std::string::npos);
}
