#include "zprov/cli/report.hpp"
#include "zprov/journal/invitations.hpp"

#include "support/process.hpp"
#include "zprov/journal/writer.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace zprov;
using nlohmann::json;

namespace {
intent_record intent(const std::string& email, unsigned line, const std::string& day) {
    return {"t", email, line, day, create_action::create, 1};
}

outcome_record result(const std::string& email, outcome what) {
    outcome_record r;
    r.email = email;
    r.what = what;
    return r;
}

// The outcome column of `report`, by email.
std::map<std::string, std::string> report_states(const std::string& path) {
    std::ostringstream out;
    write_report(out, path, false, false);
    std::istringstream in(out.str());
    std::map<std::string, std::string> states;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        auto comma = line.find(',');
        states[line.substr(0, comma)] =
            line.substr(comma + 1, line.find(',', comma + 1) - comma - 1);
    }
    return states;
}
} // namespace

TEST_CASE("report cells: quoted when needed, formulas neutralised") {
    CHECK(csv_cell("plain") == "plain");
    CHECK(csv_cell("Lee, Ann") == "\"Lee, Ann\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(csv_cell("+1 555") == "'+1 555");
    CHECK(csv_cell("-2") == "'-2");
    CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_cell("") == "");
}

TEST_CASE(
    "report: the latest outcome per row, in-doubt rows, and --failed-only in the input's columns") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    {
        journal_writer w(path, [](const std::string&) {});
        run_record run;
        run.header = {"Email", "Name"};
        w.append(run);
        w.append(intent("a@x.com", 2, "2026-11-28"));
        auto a = result("a@x.com", outcome::created);
        a.id = "U1";
        a.http = 201;
        w.append(a);
        w.append(intent("b@x.com", 3, "2026-11-28"));
        auto b = result("b@x.com", outcome::rejected);
        b.http = 400;
        b.code = 1009;
        b.message = "=active elsewhere";
        b.row = std::vector<std::string>{"b@x.com", "Bo, Jr"};
        w.append(b);
        w.append(intent("c@x.com", 4, "2026-11-28"));
    }
    std::ostringstream all;
    write_report(all, path, false, false);
    CHECK(all.str() ==
          "email,outcome,zoom_user_id,http_status,zoom_code,message,attempts,line,zoom_status,"
          "group_step,profile_step\r\n"
          "a@x.com,created,U1,201,,,1,2,,,\r\n"
          "b@x.com,rejected,,400,1009,'=active elsewhere,1,3,,,\r\n"
          "c@x.com,in_doubt,,,,,1,4,,,\r\n");
    std::ostringstream failed;
    write_report(failed, path, true, false);
    CHECK(failed.str() == "Email,Name,zprov_outcome,zprov_reason\r\n"
                          "b@x.com,\"Bo, Jr\",rejected,'=active elsewhere\r\n");
}

TEST_CASE("status and report agree on every row: a row with only a settled intent is pending in "
          "both") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    {
        journal_writer w(path, [](const std::string&) {});
        w.append(intent("settled@x.com", 2, "2026-11-28"));
        w.append(settled_record{"t", "settled@x.com", "2026-11-28", create_action::create, 429,
                                "HTTP 429"});
        w.append(intent("doubt@x.com", 3, "2026-11-28"));
        w.append(intent("made@x.com", 4, "2026-11-28"));
        w.append(result("made@x.com", outcome::created));
        w.append(result("failed@x.com", outcome::failed));
        w.append(intent("failed@x.com", 5, "2026-11-28"));
        w.append(settled_record{"t", "failed@x.com", "2026-11-28", create_action::create, 429,
                                "HTTP 429"});
    }
    auto states = report_states(path);
    CHECK(states == std::map<std::string, std::string>{{"settled@x.com", "pending"},
                                                       {"doubt@x.com", "in_doubt"},
                                                       {"made@x.com", "created"},
                                                       {"failed@x.com", "failed"}});
    std::ostringstream out;
    print_status(out, path, true, zprov::default_stale_after_days);
    auto s = json::parse(out.str());
    // Every row the report lists is counted once by status, under the same name.
    std::map<std::string, int> by_state;
    for (const auto& [email, state] : states)
        ++by_state[state];
    int counted = 0;
    for (const auto& key :
         {"created", "exists", "invalid", "rejected", "failed", "in_doubt", "pending"}) {
        CHECK_MESSAGE(s[key] == by_state[key], key);
        counted += s[key].get<int>();
    }
    CHECK(counted == static_cast<int>(states.size()));
}

TEST_CASE("status: counts, today's creates and the pause, as JSON") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    auto today = utc_day(now_utc());
    auto tomorrow = iso8601(next_utc_midnight(now_utc()));
    {
        journal_writer w(path, [](const std::string&) {});
        run_record run;
        run.daily_cap = 50;
        w.append(run);
        w.append(intent("a@x.com", 2, today));
        w.append(result("a@x.com", outcome::created));
        w.append(intent("b@x.com", 3, today));
        w.append(pause_record{"t", tomorrow, "the daily create cap (50) is spent"});
    }
    std::ostringstream out;
    print_status(out, path, true, zprov::default_stale_after_days);
    auto s = json::parse(out.str());
    CHECK(s["created"] == 1);
    CHECK(s["in_doubt"] == 1);
    CHECK(s["exists"] == 0);
    CHECK(s["invalid"] == 0);
    CHECK(s["rejected"] == 0);
    CHECK(s["failed"] == 0);
    CHECK(s["pending"] == 0);
    CHECK(s["day"] == today);
    CHECK(s["creates_today"] == 2);
    CHECK(s["daily_cap"] == 50);
    CHECK(s["paused_until"] == tomorrow);
}

namespace {
// A journal of today (daily cap 50): `created` rows answered 201 and `failed` rows answered
// 503, after which Zoom may or may not have acted.
void write_today(const std::string& path, int created, int failed) {
    const auto today = utc_day(now_utc());
    journal_writer w(path, [](const std::string&) {});
    run_record run;
    run.daily_cap = 50;
    w.append(run);
    for (int i = 0; i < created; ++i) {
        const auto email = "ok" + std::to_string(i) + "@x.com";
        w.append(intent(email, 2, today));
        auto r = result(email, outcome::created);
        r.at = today + "T10:00:00Z";
        r.http = 201;
        r.id = "u" + std::to_string(i);
        w.append(r);
    }
    for (int i = 0; i < failed; ++i) {
        const auto email = "down" + std::to_string(i) + "@x.com";
        w.append(intent(email, 3, today));
        auto r = result(email, outcome::failed);
        r.http = 503;
        w.append(r);
    }
}

std::string status_text(const std::string& path) {
    std::ostringstream text;
    print_status(text, path, false, zprov::default_stale_after_days);
    return text.str();
}
} // namespace

TEST_CASE("status: after a 5xx outage today's creates say what Zoom counted and what is an "
          "estimate") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    write_today(path, 50, 12);
    const auto text = status_text(path);
    CHECK(text.find("62 creates of 50 allowed") == std::string::npos);
    CHECK_MESSAGE(text.find("50 creates counted by Zoom of 50 allowed") != std::string::npos, text);
    CHECK(text.find("12 more requests may have counted") != std::string::npos);
    CHECK(text.find("an estimate") != std::string::npos);
    std::ostringstream doc;
    print_status(doc, path, true, zprov::default_stale_after_days);
    auto s = json::parse(doc.str());
    CHECK(s["creates_today"] == 62); // what the daily budget counts: the in-doubt ones too
    CHECK(s["creates_today_known"] == 50);
    CHECK(s["creates_today_in_doubt"] == 12);
}

TEST_CASE("status: today's creates without doubt are no estimate") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    write_today(path, 1, 0);
    const auto text = status_text(path);
    CHECK_MESSAGE(text.find("1 creates of 50 allowed\n") != std::string::npos, text);
    CHECK(text.find("estimate") == std::string::npos);
}
