#include "zprov/run/run_summary.hpp"

#include "zprov/run/stop.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace zprov;

TEST_CASE("run summary: a stop reason decides the exit code before the rows do") {
    run_counters count;
    stop_state stop;
    CHECK(final_exit_code(stop.reason(), count) == exit_code::ok);
    count.rejected = 1;
    CHECK(final_exit_code(stop.reason(), count) == exit_code::rows_failed);
    count.failed = 1;
    CHECK(final_exit_code(stop.reason(), count) == exit_code::unavailable);
    stop.request(exit_code::no_permission, "refused");
    stop.request(exit_code::paused, "later reasons do not replace the first");
    CHECK(final_exit_code(stop.reason(), count) == exit_code::no_permission);
    CHECK(stop.message() == "refused");
}

TEST_CASE("run summary: rows rejected in earlier runs keep exit 1") {
    run_counters count;
    count.rejected_before = 2;
    CHECK(final_exit_code(stop_reason{}, count) == exit_code::rows_failed);
}

TEST_CASE("run summary: an interruption is a pause that abandons waiting work") {
    stop_state stop;
    CHECK_FALSE(stop.abandons_waiting());
    stop.request(exit_code::paused, "the daily create cap is spent");
    CHECK_FALSE(stop.abandons_waiting()); // intents within the budget are still sent
    stop_state interrupted;
    interrupted.interrupt("interrupted");
    CHECK(interrupted.abandons_waiting());
    CHECK(interrupted.code() == exit_code::paused);
    stop_state fatal;
    fatal.request(exit_code::unavailable, "outage");
    CHECK(fatal.abandons_waiting());
}

TEST_CASE("run summary: the document and the closing lines") {
    run_counters count;
    count.created = 3;
    count.requests = 4;
    count.rejected = 1;
    stop_state stop;
    journal_summary journal;
    run_end end{count,           stop.reason(),     journal, "u.csv",
                "u.csv.journal", "zprov run u.csv", 1500,    2.0};
    auto code = final_exit_code(stop.reason(), count);
    auto s = summary_json(end, code);
    CHECK(s["exit_code"] == 1);
    CHECK(s["requests_per_second"] == 2.0);
    CHECK(s["this_run"]["created"] == 3);
    CHECK_FALSE(s["this_run"].contains("in_doubt"));
    CHECK(s["daily_cap"] == 1500);
    CHECK(s["paused_until"].is_null());
    std::ostringstream out;
    print_run_end(out, end, code, s);
    CHECK(out.str().find("Done in 2 s: 3 created") != std::string::npos);
    CHECK(out.str().find("zprov report u.csv.journal --failed-only") != std::string::npos);
}
