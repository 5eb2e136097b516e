#include "zprov/run/notify.hpp"

#include "zprov/base/exit_codes.hpp"
#include "zprov/cli/command_line.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace zprov;

namespace {
const std::string slack = "https://hooks.slack.com/services/T000/B000/XXXXsecret";
const std::string teams =
    "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
    "invoke?api-version=2016-06-01&sig=SIGsecret";

attention three_invalid() {
    attention a;
    problem_rows rows;
    for (std::uint32_t line : {9u, 3u, 5u})
        rows.add({line, "row" + std::to_string(line) + "@x.example.com", "invalid", "email: bad"});
    a.invalid = 3;
    a.rows = rows.first();
    a.rows_digest = rows.digest();
    return a;
}
} // namespace

TEST_CASE("notify: only scheme://host/... of a webhook or ping URL is shown") {
    CHECK(shown_url(slack) == "https://hooks.slack.com/…");
    CHECK(shown_url(teams) == "https://prod-12.westeurope.logic.azure.com:443/…");
    CHECK(shown_url("https://user:pw@hc-ping.com/uuid") == "https://hc-ping.com/…");
    CHECK(shown_url("hooks.slack.com/services/x") == "(a URL without a scheme)");
}

TEST_CASE("notify: a URL is split into where to connect and the target, query kept") {
    auto w = parse_webhook_url(teams, "--notify");
    CHECK(w.origin == "https://prod-12.westeurope.logic.azure.com:443");
    CHECK(w.target.starts_with("/workflows/abc/"));
    CHECK(w.target.ends_with("&sig=SIGsecret"));
    CHECK(parse_webhook_url("https://example.com", "--ping").target == "/");
    CHECK(parse_webhook_url("https://example.com?x=1", "--ping").target == "/?x=1");
    // Refusals name the option and the host, never the secret.
    for (const std::string bad :
         {"http://hooks.slack.com/services/XXXXsecret", "ftp://h/XXXXsecret",
          "https://u:p@h.example.com/XXXXsecret", "https://h.example.com/XXXXsecret#frag",
          "https://h.example.com/XXXX secret"}) {
        CAPTURE(bad);
        try {
            parse_webhook_url(bad, "--notify");
            FAIL("accepted");
        } catch (const fatal_error& e) {
            CHECK(e.code() == exit_code::config);
            CHECK(std::string(e.what()).find("secret") == std::string::npos);
            CHECK(std::string(e.what()).find("--notify") != std::string::npos);
        }
    }
}

TEST_CASE("notify: the format follows the host under auto, the option otherwise") {
    CHECK(format_for(notify_format::automatic, slack) == notify_format::slack);
    CHECK(format_for(notify_format::automatic, teams) == notify_format::teams);
    CHECK(format_for(notify_format::automatic, "https://acme.webhook.office.com/webhookb2/x") ==
          notify_format::teams);
    CHECK(format_for(notify_format::automatic, "https://notslack.com/hooks.slack.com") ==
          notify_format::json);
    CHECK(format_for(notify_format::automatic, "https://evilhooks.slack.com.example/x") ==
          notify_format::json);
    CHECK(format_for(notify_format::json, slack) == notify_format::json);
}

TEST_CASE("notify: the first rows by line are kept, the digest does not depend on the order") {
    problem_rows a, b;
    for (std::uint32_t line = 20; line > 0; --line)
        a.add({line, "r" + std::to_string(line), "invalid", ""});
    for (std::uint32_t line = 1; line <= 20; ++line)
        b.add({line, "r" + std::to_string(line), "invalid", ""});
    REQUIRE(a.first().size() == problem_rows::kept);
    CHECK(a.first().front().line == 1);
    CHECK(a.first().back().line == problem_rows::kept);
    CHECK(a.digest() == b.digest());
    CHECK(a.count() == 20);
    problem_rows c = b;
    c.add({21, "r21", "invalid", ""});
    CHECK(c.digest() != b.digest());
}

TEST_CASE("notify: told once per problem set, cleared once after a run that ends 0") {
    const auto problems = three_invalid();
    const attention none;
    CHECK(cleared_notice_due(problems, exit_code::rows_failed, std::nullopt) == false);
    const notified_state told{false, problems.fingerprint()};
    CHECK_FALSE(cleared_notice_due(problems, exit_code::rows_failed, told).has_value());
    auto more = problems;
    more.paused_until = "2026-12-08T00:00:00Z";
    CHECK(cleared_notice_due(more, exit_code::paused, told) == false);
    CHECK(cleared_notice_due(none, exit_code::ok, told) == true);
    CHECK_FALSE(cleared_notice_due(none, exit_code::unavailable, told).has_value());
    CHECK_FALSE(cleared_notice_due(none, exit_code::ok, notified_state{true, ""}).has_value());
    CHECK_FALSE(cleared_notice_due(none, exit_code::ok, std::nullopt).has_value());
}

TEST_CASE("notify: the bodies name the counts, the first rows and the report command") {
    notice n{false,
             three_invalid(),
             1,
             "hires.csv",
             "hires.csv.journal",
             "zprov report hires.csv.journal --failed-only -o fix.csv"};
    for (auto format : {notify_format::slack, notify_format::teams, notify_format::json}) {
        const auto body = notice_body(format, n);
        CAPTURE(body);
        CHECK(nlohmann::json::accept(body));
        for (const std::string named :
             {"line 3", "row5@x.example.com", "line 9", "3 invalid", "--failed-only"})
            CHECK(body.find(named) != std::string::npos);
    }
    const auto j = nlohmann::json::parse(notice_body(notify_format::json, n));
    CHECK(j["rows"][0]["line"] == 3);
    CHECK(j["rows"][2]["line"] == 9);
}

TEST_CASE("ping: /start, the URL for 0, 1 and 75, /CODE for the rest, before any query") {
    const std::string hc = "https://hc-ping.com/uuid";
    CHECK(ping_start_url(hc) == hc + "/start");
    CHECK(ping_start_url(hc + "/") == hc + "/start");
    CHECK(ping_start_url(hc + "?rid=1") == hc + "/start?rid=1");
    CHECK(ping_end_url(hc, exit_code::ok) == hc);
    CHECK(ping_end_url(hc, exit_code::rows_failed) == hc);
    CHECK(ping_end_url(hc, exit_code::paused) == hc);
    CHECK(ping_end_url(hc, exit_code::no_permission) == hc + "/77");
    CHECK(ping_end_url(hc, exit_code::unavailable) == hc + "/69");
}

TEST_CASE("command line: --notify and --ping URLs are shown as scheme://host/... and hidden "
          "from the process list") {
    std::vector<std::string> storage{"zprov",    "run", "u.csv",
                                     "--notify", slack, "--ping=https://hc-ping.com/uuid-secret"};
    std::vector<char*> argv;
    for (auto& s : storage)
        argv.push_back(s.data());
    bool proxy_password = false;
    const auto args = take_arguments(static_cast<int>(argv.size()), argv.data(), proxy_password);
    CHECK(args[4] == slack); // parsed as given
    CHECK(std::string(argv[4]).find("secret") == std::string::npos);
    CHECK(std::string(argv[4]).starts_with("https://hooks.slack.com"));
    CHECK(std::string(argv[5]).find("secret") == std::string::npos);
    const auto echoed = quoted_command_line(args);
    CHECK(echoed.find("secret") == std::string::npos);
    CHECK(echoed.find("https://hooks.slack.com/…") != std::string::npos);
    CHECK(echoed.find("--ping=https://hc-ping.com/…") != std::string::npos);
}
