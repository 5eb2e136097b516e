#include "zprov/journal_report.hpp"

#include "zprov/clock.hpp"
#include "zprov/journal.hpp"
#include "zprov/plans.hpp"

#include <ostream>
#include <unordered_map>

namespace zprov {

namespace {
using json = nlohmann::json;

// The latest known state of one row, with what the report shows.
struct report_row {
    std::string email; // as journaled (lower-cased), or "#line N ..." for rows without one
    std::string outcome;
    std::string user_id, message;
    int http = 0, code = 0;
    std::uint32_t attempts = 0, line = 0;
    json cells;
};
} // namespace

std::string csv_cell(std::string_view text) {
    std::string cell(text);
    if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                          cell[0] == '\t' || cell[0] == '\r'))
        cell.insert(cell.begin(), '\'');
    if (cell.find_first_of(",\"\r\n") == std::string::npos)
        return cell;
    std::string quoted = "\"";
    for (char c : cell)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

void print_status(std::ostream& out, const std::string& journal_path, bool as_json) {
    auto s = read_journal(journal_path);
    auto c = count_outcomes(s);
    auto now = now_utc();
    auto today = utc_day(now);
    std::int64_t creates_today = s.creates_on(today);
    json cap = s.last_run.is_object() && s.last_run.value("daily_cap", 0) > 0
                   ? json(s.last_run["daily_cap"])
                   : json();
    bool paused = s.active_pause(now) != nullptr;
    if (as_json) {
        json doc = to_json(c);
        doc.update({{"journal", journal_path},
                    {"day", today},
                    {"creates_today", creates_today},
                    {"daily_cap", cap},
                    {"paused_until", paused ? json(iso8601(s.pause->until)) : json()},
                    {"pause_reason", paused ? json(s.pause->reason) : json()},
                    {"records", s.records},
                    {"torn_tail", s.torn_tail}});
        if (s.last_run.is_object())
            doc["last_run"] = {{"at", s.last_run.value("at", "")},
                               {"csv", s.last_run.value("csv", "")},
                               {"plan", s.last_run.value("plan", "")},
                               {"action", s.last_run.value("action", "")}};
        out << doc.dump(2) << "\n";
        return;
    }
    out << journal_path << ":\n"
        << "  created   " << c.created << "\n"
        << "  exists    " << c.exists << "   (already Zoom users)\n"
        << "  invalid   " << c.invalid << "   (never sent: fix the sheet)\n"
        << "  rejected  " << c.rejected
        << "   (refused by Zoom: see `zprov report --failed-only`)\n"
        << "  failed    " << c.failed
        << "   (gave up after retries: the next run sends them again)\n"
        << "  in doubt  " << c.in_doubt
        << "   (sent, no answer recorded: the next run settles them)\n"
        << "Today (" << today << " UTC): " << creates_today << " creates";
    if (cap.is_number())
        out << " of " << cap.get<std::int64_t>() << " allowed";
    out << "\n";
    if (paused)
        out << "Paused until " << iso8601(s.pause->until) << " (" << local_time_text(s.pause->until)
            << "): " << s.pause->reason << "\n";
    else
        out << "Not paused.\n";
    if (s.last_run.is_object())
        out << "Last run: " << s.last_run.value("at", "") << " on " << s.last_run.value("csv", "")
            << "\n";
    if (s.torn_tail)
        out << "Note: the last record is torn (a run stopped mid-write); the next run cuts it "
               "off.\n";
}

void write_report(std::ostream& out, const std::string& journal_path, bool failed_only) {
    std::vector<report_row> rows;
    std::unordered_map<std::string, std::size_t> index;
    json header;
    auto at = [&](const std::string& key) -> report_row& {
        auto [it, fresh] = index.try_emplace(key, rows.size());
        if (fresh) {
            rows.emplace_back();
            rows.back().email = key;
        }
        return rows[it->second];
    };
    read_journal(journal_path, [&](const json& r) {
        auto type = r.value("type", "");
        if (type == "run") {
            if (r.contains("header"))
                header = r["header"];
        } else if (type == "intent") {
            auto& row = at(r.value("email", ""));
            row.outcome = "in_doubt";
            row.line = r.value("line", row.line);
            ++row.attempts;
        } else if (type == "settled") {
            auto& row = at(r.value("email", ""));
            if (row.outcome == "in_doubt")
                row.outcome = "pending";
        } else if (type == "outcome") {
            auto& row = at(r.value("email", ""));
            row.outcome = r.value("outcome", "");
            row.user_id = r.value("id", "");
            row.message = r.value("message", "");
            row.http = r.value("http", 0);
            row.code = r.value("code", 0);
            row.line = r.value("line", row.line);
            row.cells = r.contains("row") ? r["row"] : json();
        }
    });

    auto is_problem = [](const report_row& r) {
        auto o = parse_outcome(r.outcome);
        return o && info_of(*o).problem;
    };
    if (failed_only) {
        if (!header.is_array())
            throw fatal_error(exit_code::data,
                              journal_path + ": no run record with the input's columns");
        std::string line;
        for (const auto& h : header)
            line += (line.empty() ? "" : ",") + csv_cell(h.get<std::string>());
        out << line << ",zprov_outcome,zprov_reason\r\n";
        for (const auto& r : rows) {
            if (!is_problem(r) || !r.cells.is_array())
                continue;
            line.clear();
            for (std::size_t i = 0; i < header.size(); ++i) {
                std::string cell = i < r.cells.size() && r.cells[i].is_string()
                                       ? r.cells[i].get<std::string>()
                                       : "";
                line += (i ? "," : "") + csv_cell(cell);
            }
            out << line << "," << csv_cell(r.outcome) << "," << csv_cell(r.message) << "\r\n";
        }
        return;
    }
    out << "email,outcome,zoom_user_id,http_status,zoom_code,message,attempts,line\r\n";
    for (const auto& r : rows) {
        if (r.outcome.empty())
            continue;
        // Rows journaled by line ("#line 12 ann@x.com": a repeat, or no usable email).
        std::string email = r.email;
        if (email.rfind("#line ", 0) == 0) {
            auto space = email.find(' ', 6);
            email = space == std::string::npos ? "" : email.substr(space + 1);
        }
        out << csv_cell(email) << "," << csv_cell(r.outcome) << "," << csv_cell(r.user_id) << ","
            << (r.http ? std::to_string(r.http) : "") << ","
            << (r.code ? std::to_string(r.code) : "") << "," << csv_cell(r.message) << ","
            << r.attempts << "," << r.line << "\r\n";
    }
}

} // namespace zprov
