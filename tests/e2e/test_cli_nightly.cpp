// Nightly runs that someone notices: --notify (Slack, Teams and JSON webhooks, told once per
// problem set and once when it clears, bounded), --ping (Healthchecks-style start, success
// and exit code) and --log-format json, run as a scheduler would run them: real zprov over
// TLS against zoomsim and a webhook receiver on 127.0.0.1 (tests/servers/webhook_receiver.py).
#include "support/process.hpp"
#include "support/sim_fixture.hpp"
#include "support/timing.hpp"
#include "support/webhook_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace zprov::test;
using nlohmann::json;

namespace {
const std::string zprov_bin = zprov_program();

// A webhook's secret parts, as Slack's and Teams' URLs carry them: in the path and the query.
const std::string secret_path = "/services/T0SECRET/B0SECRET/p4thS3cret";
const std::string secret_query = "?sig=qu3ryS3cret";

// Five rows, three of them invalid (lines 3, 5 and 6).
std::string night_with_invalid_rows(const std::string& tag) {
    return "Email,First Name,Last Name\n"
           "ana@" +
           tag +
           ".example.com,Ana,Lima\n"
           "not-an-email,Bad,Row\n"
           "bo@" +
           tag +
           ".example.com,Bo,Berg\n"
           "@" +
           tag +
           ".example.com,No,Local\n"
           "cy@" +
           tag + ".example.com,Cy," + std::string(70, 'x') + "\n";
}

// The same night with the three rows fixed.
std::string night_fixed(const std::string& tag) {
    return "Email,First Name,Last Name\n"
           "ana@" +
           tag +
           ".example.com,Ana,Lima\n"
           "dee@" +
           tag +
           ".example.com,Dee,Row\n"
           "bo@" +
           tag +
           ".example.com,Bo,Berg\n"
           "eve@" +
           tag +
           ".example.com,Eve,Local\n"
           "cy@" +
           tag + ".example.com,Cy,Long\n";
}

json body_of(const json& request) {
    return json::parse(request["body"].get<std::string>());
}

// Every text a notification shows, joined: what a person reads.
std::string shown_text(const json& body) {
    std::string text;
    if (body.is_object())
        for (const auto& [key, value] : body.items()) {
            if (value.is_string())
                text += value.get<std::string>() + "\n";
            else if (value.is_structured())
                text += shown_text(value);
        }
    else if (body.is_array())
        for (const auto& item : body)
            text += shown_text(item);
    return text;
}

// The shapes the services accept: Slack's incoming webhook takes `text` and/or `blocks` (each
// block with a type); Teams' takes a message whose attachment is an Adaptive Card.
void check_slack_shape(const json& b) {
    REQUIRE(b.is_object());
    CHECK((b.contains("text") || b.contains("blocks")));
    if (b.contains("text"))
        CHECK((b["text"].is_string() && !b["text"].get<std::string>().empty()));
    if (b.contains("blocks")) {
        REQUIRE(b["blocks"].is_array());
        CHECK(b["blocks"].size() <= 50);
        for (const auto& block : b["blocks"]) {
            CHECK(block["type"].is_string());
            if (block.contains("text")) {
                CHECK((block["text"]["type"] == "plain_text" || block["text"]["type"] == "mrkdwn"));
                CHECK(block["text"]["text"].get<std::string>().size() <= 3000);
            }
        }
    }
}

void check_teams_shape(const json& b) {
    REQUIRE(b.is_object());
    CHECK(b["type"] == "message");
    REQUIRE(b["attachments"].is_array());
    REQUIRE(b["attachments"].size() == 1);
    const auto& a = b["attachments"][0];
    CHECK(a["contentType"] == "application/vnd.microsoft.card.adaptive");
    const auto& card = a["content"];
    CHECK(card["type"] == "AdaptiveCard");
    CHECK(card["version"].is_string());
    REQUIRE(card["body"].is_array());
    CHECK(!card["body"].empty());
    for (const auto& element : card["body"]) {
        CHECK(element["type"] == "TextBlock");
        CHECK(element["text"].is_string());
    }
}

void check_json_shape(const json& b, const std::string& event) {
    CHECK(b["source"] == "zprov");
    CHECK(b["event"] == event);
    CHECK(b["text"].is_string());
    CHECK(b["report_command"].is_string());
}

// No output and no journal line holds the webhook URL's secret parts.
void check_secrets_kept(const process_result& r, const std::string& journal) {
    for (const auto& secret : {std::string("p4thS3cret"), std::string("qu3ryS3cret"),
                               std::string("T0SECRET"), std::string(run_env::token)}) {
        CHECK_MESSAGE(r.out.find(secret) == std::string::npos, r.out);
        CHECK_MESSAGE(r.err.find(secret) == std::string::npos, r.err);
        CHECK(slurp(journal).find(secret) == std::string::npos);
    }
}

std::vector<json> stderr_lines(const std::string& err) {
    std::vector<json> out;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);) {
        INFO("stderr line: " << line);
        REQUIRE(json::accept(line));
        out.push_back(json::parse(line));
    }
    return out;
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("nightly: 3 invalid rows notify once (Slack, Teams, JSON), a rerun sends none, a clean "
          "night after the fix sends one cleared, and no secret is shown") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    webhook_receiver hooks(env.dir, env.ca);
    for (const std::string format : {"slack", "teams", "json"}) {
        CAPTURE(format);
        const auto tag = "night-" + format;
        const auto hook = hooks.url("/" + format + secret_path + secret_query);
        const auto csv = env.dir.file(tag + ".csv", night_with_invalid_rows(tag));
        const auto journal = csv + ".journal";
        const std::vector<std::string> notify{"--notify", hook, "--notify-format", format};
        auto mine = [&] {
            std::vector<json> out;
            for (const auto& r : hooks.requests())
                if (r["path"].get<std::string>().starts_with("/" + format + "/"))
                    out.push_back(r);
            return out;
        };

        auto first = env.zprov(sim, csv, notify);
        CHECK_MESSAGE(first.exit_code == 1, first.err);
        auto got = mine();
        REQUIRE(got.size() == 1);
        CHECK(got[0]["method"] == "POST");
        CHECK(got[0]["path"] == "/" + format + secret_path + secret_query); // sent as given
        CHECK(got[0]["headers"]["content-type"] == "application/json");
        const auto body = body_of(got[0]);
        if (format == "slack")
            check_slack_shape(body);
        else if (format == "teams")
            check_teams_shape(body);
        else
            check_json_shape(body, "problem");
        const auto text = shown_text(body);
        for (const auto& named :
             std::vector<std::string>{"line 3", "not-an-email", "line 5", "line 6",
                                      "cy@" + tag + ".example.com", "3 invalid", "zprov report"})
            CHECK_MESSAGE(text.find(named) != std::string::npos, named << " in " << text);
        CHECK(text.find("ana@") == std::string::npos); // created: nothing to act on
        if (format == "json") {
            CHECK(body["counts"]["invalid"] == 3);
            REQUIRE(body["rows"].size() == 3);
            CHECK(body["rows"][0]["line"] == 3);
            CHECK(body["rows"][0]["email"] == "not-an-email");
            CHECK(body["rows"][0]["outcome"] == "invalid");
            CHECK(body["exit_code"] == 1);
        }
        check_secrets_kept(first, journal);
        CHECK(first.err.find("https://127.0.0.1:") != std::string::npos); // scheme://host/… only

        auto rerun = env.zprov(sim, csv, notify);
        CHECK_MESSAGE(rerun.exit_code == 1, rerun.err);
        CHECK(mine().size() == 1); // the same problems: told already

        env.dir.file(tag + ".csv", night_fixed(tag));
        auto fixed = env.zprov(sim, csv, notify);
        CHECK_MESSAGE(fixed.exit_code == 0, fixed.err);
        got = mine();
        REQUIRE(got.size() == 2);
        const auto cleared = body_of(got[1]);
        if (format == "json")
            check_json_shape(cleared, "cleared");
        else if (format == "slack")
            check_slack_shape(cleared);
        else
            check_teams_shape(cleared);
        CHECK(shown_text(cleared).find("clear") != std::string::npos);
        check_secrets_kept(fixed, journal);

        auto quiet = env.zprov(sim, csv, notify);
        CHECK_MESSAGE(quiet.exit_code == 0, quiet.err);
        CHECK(mine().size() == 2); // cleared once
        CHECK(journal_status(journal)["created"] == 5);
    }
    CHECK(sim.stats()["created"] == 15);
}

TEST_CASE("nightly: the day's cap reached with rows waiting notifies once per pause, and a "
          "rerun during the pause sends none") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    webhook_receiver hooks(env.dir, env.ca);
    const auto csv = env.dir.file("capped.csv", users_csv(5, "capped"));
    const std::vector<std::string> options{"--notify", hooks.url("/hook"), "--daily-cap", "2"};
    auto r = env.zprov(sim, csv, options);
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    REQUIRE(hooks.requests().size() == 1);
    const auto body = body_of(hooks.requests()[0]);
    CHECK(body["event"] == "problem");
    CHECK(body["paused_until"].is_string());
    CHECK(body["counts"]["invalid"] == 0);
    auto again = env.zprov(sim, csv, options);
    CHECK_MESSAGE(again.exit_code == 75, again.err);
    CHECK(hooks.requests().size() == 1);
}

TEST_CASE("nightly: a webhook that hangs or cannot be reached delays the run by at most "
          "--notify-timeout and changes neither the exit code nor the journal's rows" *
          timing) {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    webhook_receiver hanging(env.dir, env.ca, "hang");
    // A port nothing listens on: a receiver started and stopped.
    std::string closed;
    {
        webhook_receiver gone(env.dir, env.ca);
        closed = gone.url("/unreachable" + secret_path);
    }
    auto timed = [&](const std::string& name, std::vector<std::string> extra) {
        const auto csv = env.dir.file(name + ".csv", night_with_invalid_rows(name));
        const auto start = std::chrono::steady_clock::now();
        auto r = env.zprov(sim, csv, std::move(extra));
        const auto seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::tuple{r, seconds, csv + ".journal"};
    };
    const auto [plain, plain_seconds, plain_journal] = timed("plain", {});
    CHECK_MESSAGE(plain.exit_code == 1, plain.err);
    const auto [notified, notified_seconds, notified_journal] =
        timed("notified", {"--notify", hanging.url("/hang" + secret_path + secret_query),
                           "--notify", closed, "--notify-timeout", "2"});
    CHECK_MESSAGE(notified.exit_code == 1, notified.err);
    CHECK(wait_until([&] { return hanging.requests().size() >= 1; }, std::chrono::seconds(1)));
    // Bounded: the 2 s of --notify-timeout, and a little for the machine's load.
    CHECK_MESSAGE(notified_seconds <= plain_seconds + 2.0 + 1.5,
                  notified_seconds << " s against " << plain_seconds << " s");
    CHECK(notified.err.find("could not notify https://127.0.0.1:") != std::string::npos);
    CHECK(notified.err.find("/unreachable") == std::string::npos);
    check_secrets_kept(notified, notified_journal);
    // The rows stand as they would without the webhooks, and no delivery is recorded: the next
    // run tries again.
    const auto with = journal_status(notified_journal), without = journal_status(plain_journal);
    for (const auto* key : {"created", "exists", "invalid", "rejected", "failed", "elsewhere",
                            "in_doubt", "pending", "records"})
        CHECK_MESSAGE(with[key] == without[key], key);
    CHECK(slurp(notified_journal).find("\"notified\"") == std::string::npos);
}

TEST_CASE("nightly: --ping sends start and success for a clean run, start and the exit code "
          "for a run that ends 77") {
    run_env env;
    webhook_receiver monitor(env.dir, env.ca);
    const std::string check = "/ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";
    {
        zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
        const auto csv = env.dir.file("clean.csv", users_csv(3, "pinged"));
        auto r = env.zprov(sim, csv, {"--ping", monitor.url(check)});
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        const auto got = monitor.requests();
        REQUIRE(got.size() == 2);
        CHECK(got[0]["path"] == check + "/start");
        CHECK(got[1]["path"] == check);
        CHECK(r.err.find("5bf66975") == std::string::npos);
    }
    {
        oauth_credentials credentials;
        auto args = oauth_credentials::sim_args({"--scopes", "user:read:admin"});
        zoomsim_server sim(env.dir, args, &env.ca);
        const auto csv = env.dir.file("refused.csv", users_csv(3, "refused"));
        // The stop for the account is told through --notify too.
        auto r = env.zprov(sim, csv,
                           {"--oauth-url", sim.oauth_url(), "--ping", monitor.url(check),
                            "--notify", monitor.url("/hook" + secret_path)});
        CHECK_MESSAGE(r.exit_code == 77, r.err);
        const auto got = monitor.requests();
        REQUIRE(got.size() == 5);
        CHECK(got[2]["path"] == check + "/start");
        CHECK(got[3]["path"] == "/hook" + secret_path); // before the end's ping
        const auto told = body_of(got[3]);
        CHECK(told["event"] == "problem");
        CHECK(told["stopped_because"].get<std::string>().find("user:write:admin") !=
              std::string::npos);
        CHECK(got[4]["path"] == check + "/77");
        check_secrets_kept(r, csv + ".journal");
        CHECK(r.err.find("5bf66975") == std::string::npos);
    }
}

TEST_CASE("nightly: --log-format json writes only JSON lines on stderr, stdout unchanged, and "
          "the end event counts what status --json counts") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    // A config file with a key given twice: its warning is an event too.
    const auto config = env.dir.file("nightly.json", R"({"log-format": "json", "plan": "pro",
                                                        "plan": "pro"})");
    const auto csv = env.dir.file("logged.csv", night_with_invalid_rows("logged"));
    const auto journal = csv + ".journal";
    auto r = env.zprov(sim, csv, {"--config", config, "--daily-cap", "1"});
    CHECK_MESSAGE(r.exit_code == 75, r.err);
    CHECK(r.out.empty());
    const auto events = stderr_lines(r.err);
    std::map<std::string, int> seen;
    for (const auto& e : events) {
        CHECK(e["time"].is_string());
        ++seen[e["event"].get<std::string>()];
    }
    CHECK(seen["run_start"] == 1);
    CHECK(seen["run_end"] == 1);
    CHECK(seen["row"] == 4); // 3 invalid, 1 created; the cap stops the rest
    CHECK(seen["pause"] == 1);
    CHECK(seen["message"] >= 1); // the config file's warning
    const auto& end = events.back();
    REQUIRE(end["event"] == "run_end");
    CHECK(end["exit_code"] == 75);
    const auto status = journal_status(journal);
    for (const auto* key :
         {"created", "exists", "invalid", "rejected", "failed", "elsewhere", "in_doubt", "pending"})
        CHECK_MESSAGE(end["counts"][key] == status[key], key);
    CHECK(end["counts"]["created"] == 1);
    CHECK(end["counts"]["invalid"] == 3);

    // A rerun during the pause, verbose: still JSON only.
    auto next = env.zprov(sim, csv, {"--log-format", "json", "-v"});
    CHECK_MESSAGE(next.exit_code == 75, next.err);
    const auto later = stderr_lines(next.err);
    REQUIRE(!later.empty());
    CHECK(later.back()["event"] == "run_end");
}

TEST_SUITE_END();
