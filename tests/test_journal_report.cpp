#include "zprov/journal_report.hpp"

#include "process.hpp"
#include "zprov/journal.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace zprov;
using nlohmann::json;

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
        w.append({{"type", "run"}, {"header", {"Email", "Name"}}});
        w.append({{"type", "intent"}, {"email", "a@x.com"}, {"line", 2}, {"day", "2026-11-28"}});
        w.append({{"type", "outcome"},
                  {"email", "a@x.com"},
                  {"outcome", "created"},
                  {"id", "U1"},
                  {"http", 201}});
        w.append({{"type", "intent"}, {"email", "b@x.com"}, {"line", 3}, {"day", "2026-11-28"}});
        w.append({{"type", "outcome"},
                  {"email", "b@x.com"},
                  {"outcome", "rejected"},
                  {"http", 400},
                  {"code", 1009},
                  {"message", "=active elsewhere"},
                  {"row", {"b@x.com", "Bo, Jr"}}});
        w.append({{"type", "intent"}, {"email", "c@x.com"}, {"line", 4}, {"day", "2026-11-28"}});
    }
    std::ostringstream all;
    write_report(all, path, false);
    CHECK(all.str() == "email,outcome,zoom_user_id,http_status,zoom_code,message,attempts,line\r\n"
                       "a@x.com,created,U1,201,,,1,2\r\n"
                       "b@x.com,rejected,,400,1009,'=active elsewhere,1,3\r\n"
                       "c@x.com,in_doubt,,,,,1,4\r\n");
    std::ostringstream failed;
    write_report(failed, path, true);
    CHECK(failed.str() == "Email,Name,zprov_outcome,zprov_reason\r\n"
                          "b@x.com,\"Bo, Jr\",rejected,'=active elsewhere\r\n");
}

TEST_CASE("status: counts, today's creates and the pause, as JSON") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    auto today = utc_day(now_utc());
    auto tomorrow = iso8601(next_utc_midnight(now_utc()));
    {
        journal_writer w(path, [](const std::string&) {});
        w.append({{"type", "run"}, {"daily_cap", 50}});
        w.append({{"type", "intent"}, {"email", "a@x.com"}, {"day", today}, {"action", "create"}});
        w.append({{"type", "outcome"}, {"email", "a@x.com"}, {"outcome", "created"}});
        w.append({{"type", "intent"}, {"email", "b@x.com"}, {"day", today}, {"action", "create"}});
        w.append({{"type", "pause"},
                  {"until", tomorrow},
                  {"reason", "the daily create cap (50) is spent"}});
    }
    std::ostringstream out;
    print_status(out, path, true);
    auto s = json::parse(out.str());
    CHECK(s["created"] == 1);
    CHECK(s["in_doubt"] == 1);
    CHECK(s["exists"] == 0);
    CHECK(s["invalid"] == 0);
    CHECK(s["rejected"] == 0);
    CHECK(s["failed"] == 0);
    CHECK(s["day"] == today);
    CHECK(s["creates_today"] == 2);
    CHECK(s["daily_cap"] == 50);
    CHECK(s["paused_until"] == tomorrow);
}
