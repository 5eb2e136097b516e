#include "zprov/cli/report.hpp"

#include "zprov/base/clock.hpp"
#include "zprov/journal/invitations.hpp"
#include "zprov/journal/replay.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/sheet/encoding.hpp"

#include <algorithm>
#include <ostream>
#include <unordered_map>

namespace zprov {

namespace {
using json = nlohmann::json;
} // namespace

namespace {
// Appends the CSV cell of `text` to `out` (see csv_cell).
void append_cell(std::string& out, std::string_view text) {
    const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
                                           text[0] == '@' || text[0] == '\t' || text[0] == '\r');
    const bool quoted = text.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quoted)
        out += '"';
    if (formula)
        out += '\'';
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    if (quoted)
        out += '"';
}

template <class Number>
void append_number(std::string& out, Number n) {
    if (n)
        out += std::to_string(n);
}
} // namespace

namespace {
// Users listed by name in status's text; the JSON lists them all.
constexpr std::size_t stale_shown = 20;

// The re-invites' DELETEs sent without a recorded answer, by email (sorted).
std::vector<std::pair<std::string, std::string>> deletes_in_doubt(const journal_summary& s) {
    std::vector<std::pair<std::string, std::string>> out(s.deletes_in_doubt.begin(),
                                                         s.deletes_in_doubt.end());
    std::sort(out.begin(), out.end());
    return out;
}

json stale_json(const std::vector<stale_invitation>& stale, const journal_summary& s) {
    json users = json::array();
    for (const auto& u : stale)
        users.push_back({{"email", u.email}, {"created", iso8601(u.created)}});
    json doubts = json::array();
    for (const auto& [email, id] : deletes_in_doubt(s))
        doubts.push_back({{"email", email}, {"id", id}});
    return {{"stale_invitations", stale.size()},
            {"stale_users", std::move(users)},
            {"reinvited", s.reinvited},
            {"deletes_in_doubt", doubts.size()},
            {"deletes_in_doubt_users", std::move(doubts)}};
}

void print_deletes_in_doubt(std::ostream& out, const journal_summary& s) {
    const auto doubts = deletes_in_doubt(s);
    if (doubts.empty())
        return;
    out << "Re-invites in doubt: " << doubts.size()
        << " DELETEs of stale invitations were sent without a recorded answer; the next run asks "
           "Zoom whether they acted (also for rows no longer in the sheet):\n";
    for (std::size_t i = 0; i < doubts.size() && i < stale_shown; ++i)
        out << "  " << doubts[i].first << "  user id " << doubts[i].second << "\n";
    if (doubts.size() > stale_shown)
        out << "  and " << doubts.size() - stale_shown << " more (`status --json` lists all)\n";
}

// The steps after the creates and the users' state in Zoom, when there are any.
void print_steps(std::ostream& out, const step_counts& st) {
    if (st.groups_set + st.groups_due + st.profiles_applied + st.profiles_deferred +
            st.profiles_due >
        0)
        out << "After the creates: " << st.groups_set << " groups set, " << st.groups_due
            << " groups to set; " << st.profiles_applied << " profiles applied, "
            << st.profiles_deferred << " deferred (users still pending), " << st.profiles_due
            << " to apply\n";
    if (st.users_pending + st.users_active + st.users_gone + st.users_expired > 0) {
        out << "In Zoom: " << st.users_pending << " pending (invitation not yet accepted), "
            << st.users_active << " active";
        if (st.users_expired > 0)
            out << ", " << st.users_expired << " expired (invitation lapsed)";
        if (st.users_gone > 0)
            out << ", " << st.users_gone << " no longer there (deleted in Zoom)";
        out << "\n";
    }
}

void print_stale(std::ostream& out, const std::vector<stale_invitation>& stale, int days) {
    if (stale.empty())
        return;
    out << "Stale invitations: " << stale.size() << " users created more than " << days
        << " days ago are still pending (invitations reportedly expire after 30 days; "
           "`zprov run --reinvite` deletes and creates them again):\n";
    for (std::size_t i = 0; i < stale.size() && i < stale_shown; ++i)
        out << "  " << stale[i].email << "  created " << iso8601(stale[i].created) << "\n";
    if (stale.size() > stale_shown)
        out << "  and " << stale.size() - stale_shown << " more (`status --json` lists all)\n";
}
} // namespace

std::string csv_cell(std::string_view text) {
    std::string cell;
    append_cell(cell, text);
    return cell;
}

void print_status(std::ostream& out, const std::string& journal_path, bool as_json,
                  int stale_after_days) {
    auto s = read_journal(journal_path);
    auto c = count_outcomes(s);
    auto now = now_utc();
    const auto stale = stale_invitations(s, now, stale_after_days);
    auto today = utc_day(now);
    // What the daily budget counts: every create sent today but those certainly refused.
    // Zoom counted those it answered 201 for; of the others (no answer, 5xx, 409, 400) the
    // count is not known: they may have counted, and the budget counts them.
    const std::int64_t creates_today = s.creates_on(today);
    const std::int64_t known = std::min(s.created_on(today), creates_today);
    const std::int64_t in_doubt = creates_today - known;
    json cap = s.last_run && s.last_run->daily_cap > 0 ? json(s.last_run->daily_cap) : json();
    bool paused = s.active_pause(now) != nullptr;
    if (as_json) {
        json doc = to_json(c);
        doc.update(to_json(count_steps(s)));
        doc.update(stale_json(stale, s));
        doc.update({{"journal", journal_path},
                    {"day", today},
                    {"creates_today", creates_today},
                    {"creates_today_known", known},
                    {"creates_today_in_doubt", in_doubt},
                    {"daily_cap", cap},
                    {"paused_until", paused ? json(iso8601(s.pause->until)) : json()},
                    {"pause_reason", paused ? json(s.pause->reason) : json()},
                    {"records", s.records},
                    {"torn_tail", s.torn_tail}});
        if (s.last_run)
            doc["last_run"] = {{"at", s.last_run->at},
                               {"csv", s.last_run->csv},
                               {"plan", s.last_run->plan},
                               {"action", info_of(s.last_run->action).name}};
        out << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
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
        << "  elsewhere " << c.elsewhere
        << "   (Zoom users of another account: invite them to this one; see `report`)\n"
        << "  in doubt  " << c.in_doubt
        << "   (sent, no answer recorded: the next run settles them)\n"
        << "  pending   " << c.pending
        << "   (sent, certainly not acted on: the next run sends them again)\n"
        << "  expired   " << c.expired
        << "   (invitations that lapsed unaccepted: `run --reinvite` creates them again)\n"
        << "Today (" << today << " UTC): " << (in_doubt > 0 ? known : creates_today)
        << (in_doubt > 0 ? " creates counted by Zoom" : " creates");
    if (cap.is_number())
        out << " of " << cap.get<std::int64_t>() << " allowed";
    if (in_doubt > 0)
        out << ", and " << in_doubt
            << " more requests may have counted (answered with an error or not at all); the "
               "daily budget counts "
            << creates_today << ", an estimate";
    out << "\n";
    print_steps(out, count_steps(s));
    print_stale(out, stale, stale_after_days);
    print_deletes_in_doubt(out, s);
    if (paused)
        out << "Paused until " << iso8601(s.pause->until) << " (" << local_time_text(s.pause->until)
            << "): " << s.pause->reason << "\n";
    else
        out << "Not paused.\n";
    if (s.last_run)
        out << "Last run: " << s.last_run->at << " on " << s.last_run->csv << "\n";
    if (s.torn_tail)
        out << "Note: the last record is torn (a run stopped mid-write); the next run cuts it "
               "off.\n";
}

namespace {
bool is_problem(const row_state& row) {
    return !row.open_intent && row.last && info_of(*row.last).problem;
}

void write_failed_rows(std::ostream& out, const std::string& journal_path, const journal_summary& s,
                       std::string_view bom) {
    if (s.header.empty())
        throw fatal_error(exit_code::data,
                          journal_path + ": no run record with the input's columns");
    std::string line;
    for (const auto& h : s.header) {
        if (!line.empty())
            line += ',';
        line += csv_cell(h);
    }
    out << bom << line << ",zprov_outcome,zprov_reason\r\n";
    for (const auto* entry : s.in_order) {
        const auto& row = entry->second;
        const auto& d = s.details[row.ordinal];
        if (!is_problem(row) || !d.cells)
            continue;
        const auto& cells = *d.cells;
        line.clear();
        for (std::size_t i = 0; i < s.header.size(); ++i) {
            if (i)
                line += ',';
            line += csv_cell(i < cells.size() ? std::string_view(cells[i]) : std::string_view());
        }
        out << line << "," << csv_cell(shown_state(row)) << "," << csv_cell(d.message) << "\r\n";
    }
}
} // namespace

void write_report(std::ostream& out, const std::string& journal_path, bool failed_only, bool bom) {
    auto s = read_journal(journal_path, {.details = true});
    const std::string_view mark = bom ? utf8_byte_order_mark : "";
    if (failed_only) {
        write_failed_rows(out, journal_path, s, mark);
        return;
    }
    out << mark
        << "email,outcome,zoom_user_id,http_status,zoom_code,message,attempts,line,zoom_status,"
           "group_step,profile_step\r\n";
    std::string line;
    for (const auto* entry : s.in_order) {
        const auto& [key, row] = *entry;
        // Rows journaled by line ("#line 12 ann@x.com": a repeat, or no usable email).
        std::string_view email = key;
        if (email.starts_with("#line ")) {
            auto space = email.find(' ', 6);
            email = space == std::string_view::npos ? "" : email.substr(space + 1);
        }
        const auto& d = s.details[row.ordinal];
        line.clear();
        append_cell(line, email);
        line += ',';
        append_cell(line, shown_state(row));
        line += ',';
        append_cell(line, d.user_id);
        line += ',';
        append_number(line, d.http);
        line += ',';
        append_number(line, d.code);
        line += ',';
        append_cell(line, d.message);
        line += ',' + std::to_string(row.attempts) + ',' + std::to_string(row.line) + ',';
        // Zoom's status as last recorded (a later `seen` record wins over the outcome's).
        const auto steps = s.steps.find(key);
        const bool has_steps = steps != s.steps.end();
        append_cell(line, row.zoom != zoom_state::unknown ? name_of(row.zoom)
                                                          : std::string_view(d.zoom_status));
        line += ',';
        append_cell(line, has_steps ? name_of(steps->second.group) : "");
        line += ',';
        append_cell(line, has_steps ? name_of(steps->second.profile) : "");
        line += "\r\n";
        out << line;
    }
}

} // namespace zprov
