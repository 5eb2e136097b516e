#include "zprov/run/run_summary.hpp"

#include "zprov/base/clock.hpp"
#include "zprov/base/event_log.hpp"
#include "zprov/base/private_file.hpp"
#include "zprov/base/text.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/run/notices.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/zoom/plans.hpp"

#include <cmath>
#include <iostream>
#include <sstream>

namespace zprov {

exit_code final_exit_code(const stop_reason& stop, const run_counters& count) {
    if (stop.code != exit_code::ok)
        return stop.code;
    if (count.failed + count.reinvites_failed > 0)
        return exit_code::unavailable;
    if (count.invalid + count.rejected + count.rejected_before + count.elsewhere +
            count.elsewhere_before >
        0)
        return exit_code::rows_failed;
    return exit_code::ok;
}

nlohmann::json summary_json(const run_end& end, exit_code code) {
    const auto& count = end.count;
    auto this_run = to_json(count);
    // This run counts outcomes only: a request a halt abandoned shows in journal_totals.
    this_run.erase("in_doubt");
    this_run["skipped"] = count.skipped;
    this_run["rate_limited"] = count.rate_limited;
    this_run["reinvites_failed"] = count.reinvites_failed;
    const auto now = now_utc();
    const double elapsed = end.elapsed_seconds;
    nlohmann::json s{
        {"csv", end.csv},
        {"journal", end.journal_path},
        {"exit_code", to_int(code)},
        {"elapsed_seconds", std::round(elapsed * 10) / 10},
        {"requests", count.requests},
        {"requests_per_second",
         elapsed > 0 ? std::round(static_cast<double>(count.requests) / elapsed * 10) / 10 : 0.0},
        {"this_run", std::move(this_run)},
        {"journal_totals", to_json(count_outcomes(end.journal))},
        {"day", utc_day(now)},
        {"creates_today", end.journal.creates_on(utc_day(now))},
        {"daily_cap", end.daily_cap > 0 ? nlohmann::json(end.daily_cap) : nlohmann::json()}};
    const auto* pause = end.journal.active_pause(now);
    s["paused_until"] = pause ? nlohmann::json(iso8601(pause->until)) : nlohmann::json();
    if (!end.stop.message.empty())
        s["stopped_because"] = end.stop.message;
    return s;
}

namespace {
void print_counts(std::ostream& out, const run_end& end, exit_code code,
                  const nlohmann::json& summary) {
    const auto& c = end.count;
    const bool completed = code == exit_code::ok || code == exit_code::rows_failed;
    out << (completed ? "Done in " : "Stopped after ")
        << human_duration(summary["elapsed_seconds"].get<double>()) << ": " << c.created
        << " created, " << c.exists << " already existed, "
        << (c.elsewhere > 0 ? std::to_string(c.elsewhere) + " users of another Zoom account, "
                            : std::string())
        << c.rejected << " rejected, " << c.failed << " failed, " << c.invalid << " invalid, "
        << c.skipped << " done by earlier runs";
    if (c.requests > 0)
        out << "; " << c.requests << " requests at " << summary["requests_per_second"].get<double>()
            << "/s";
    if (c.rate_limited > 0)
        out << " (" << c.rate_limited << " per-second 429s)";
    out << "\n";
}
} // namespace

void print_run_end(std::ostream& out, const run_end& end, exit_code code,
                   const nlohmann::json& summary) {
    const auto& c = end.count;
    print_counts(out, end, code, summary);
    if (c.rejected_before > 0)
        out << c.rejected_before
            << " rows of the sheet were rejected by Zoom in earlier runs; fix them and rerun "
               "with --retry-failed.\n";
    const auto* pause = end.journal.active_pause(now_utc());
    if (code == exit_code::paused && pause) {
        out << "Paused: " << terminal_safe(pause->reason) << ".\n"
            << "Create requests today (" << summary["day"].get<std::string>()
            << " UTC): " << summary["creates_today"].get<std::int64_t>() << ". Resume after "
            << iso8601(pause->until) << " (" << local_time_text(pause->until) << ") with:\n  "
            << end.rerun << "\n";
    } else if (code == exit_code::paused) {
        out << "Stopped (" << terminal_safe(end.stop.message) << "). Resume with:\n  " << end.rerun
            << "\n";
    } else if (!end.stop.message.empty()) {
        out << "Stopped: " << terminal_safe(end.stop.message) << "\n";
    }
    if (c.failed > 0 && code == exit_code::unavailable)
        out << c.failed << " rows failed after retries; they are sent again by the next run.\n";
    if (c.reinvites_failed > 0)
        out << c.reinvites_failed
            << " stale invitations were not sent again (see the lines above); the next run "
               "with --reinvite tries again.\n";
    if (c.elsewhere + c.elsewhere_before > 0)
        out << c.elsewhere + c.elsewhere_before
            << " addresses belong to Zoom users outside this account: invite them with Zoom's "
               "\"add existing users\" (Admin > User Management > Users); once they have "
               "joined, rerun with --retry-failed.\n";
    if (c.invalid + c.rejected + c.rejected_before + c.elsewhere + c.elsewhere_before > 0)
        out << "See the rows that need fixing: zprov report " << shell_quote(end.journal_path)
            << " --failed-only -o fix.csv\n";
}

void announce_run(const std::string& csv, const std::string& journal_path,
                  const send_limits& limits, std::int64_t rows_to_send) {
    if (json_log()) {
        log_event("run_start",
                  {{"csv", csv},
                   {"journal", journal_path},
                   {"plan", limits_of(limits.plan_id).name},
                   {"action", info_of(limits.action).name},
                   {"rate", limits.rate},
                   {"daily_cap",
                    limits.daily_cap > 0 ? nlohmann::json(limits.daily_cap) : nlohmann::json()},
                   {"rows_to_send",
                    rows_to_send >= 0 ? nlohmann::json(rows_to_send) : nlohmann::json()}});
        return;
    }
    std::cerr << "Importing " << csv << " (" << limits_of(limits.plan_id).title << " plan, "
              << info_of(limits.action).name << ", " << limits.rate << " requests/s";
    if (limits.daily_cap > 0)
        std::cerr << ", " << limits.daily_cap << " creates per UTC day";
    std::cerr << "): " << (rows_to_send >= 0 ? std::to_string(rows_to_send) : std::string("?"))
              << " rows to send\n";
}

exit_code end_run(const run_end& end, run_journal& journal, const run_config& config) {
    const auto code = final_exit_code(end.stop, end.count);
    auto summary = summary_json(end, code);
    journal.run_ended(code, summary);
    if (!end.stop.message.empty())
        log_event("stop", {{"exit_code", to_int(end.stop.code)}, {"reason", end.stop.message}});
    if (json_log()) {
        auto event = summary;
        event["counts"] = summary["journal_totals"]; // what `status --json` counts
        event["rerun"] = end.rerun;
        log_event("run_end", event);
    } else {
        print_run_end(std::cerr, end, code, summary);
    }
    if (!config.notify.empty())
        send_notices(config, journal, attention_of(end.count, end.stop, code, journal.summary()),
                     code, end.csv,
                     "zprov report " + shell_quote(end.journal_path) + " --failed-only -o fix.csv");
    if (const auto& path = config.summary_json) {
        try {
            write_private_file(
                *path, summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                {end.journal_path, end.csv});
        } catch (const fatal_error& e) {
            std::cerr << "zprov: cannot write the summary: " << e.what()
                      << " (the run's results are in the journal)\n";
            return exit_code::cannot_write;
        }
    }
    return code;
}

} // namespace zprov
