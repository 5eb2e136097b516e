#include "zprov/run/dry_run.hpp"

#include "zprov/journal/invitations.hpp"
#include "zprov/journal/replay.hpp"

#include <iostream>
#include <unistd.h>

namespace zprov {

namespace {
// Stale invitations a dry run names; it counts them all.
constexpr std::size_t reinvites_shown = 20;

} // namespace

journal_summary known_rows(const std::string& journal_path) {
    if (::access(journal_path.c_str(), F_OK) == 0)
        return read_journal(journal_path);
    return {};
}

exit_code dry_run(user_sheet& sheet, const std::string& journal_path, const send_limits& limits,
                  bool retry_failed, const std::function<void(const std::string&)>& verbose,
                  const dry_run_account& account, reinvite_plan reinvites) {
    const journal_summary known = known_rows(journal_path);
    run_counters count;
    row_source rows(sheet, known, retry_failed, count, nullptr, verbose);
    rows.check_groups(account.groups);
    reinvites.pending = account.pending;
    rows.reinvites(reinvites);
    std::int64_t would_send = 0, steps = 0;
    std::vector<std::string> reinvited, in_doubt;
    step_forecast requests;
    while (auto item = rows.next()) {
        if (item->reinvite_wanted)
            reinvited.push_back(item->key);
        else if (!item->reinvite_id.empty()) {
            in_doubt.push_back(item->key);
            continue; // settled by asking Zoom; created again only if the DELETE acted
        }
        ++(item->steps_only ? steps : would_send);
        if (!item->steps_only)
            requests.add_row(!item->user.group.empty(), item->user.has_profile(), limits.action);
    }
    requests.patches_now += steps;
    if (would_send + steps > 0 && sheet.layout()[static_cast<std::size_t>(field::group)])
        requests.group_lists = 1;
    auto f = forecast_import(would_send, limits.rate, limits.daily_cap);
    std::cerr << "Dry run: " << would_send << " rows would be sent, " << count.invalid
              << " are invalid, " << count.skipped
              << " were done by earlier runs. Nothing was sent; the journal is untouched.\n";
    if (!reinvited.empty()) {
        std::cerr << reinvited.size()
                  << " of them are stale invitations that would be deleted (DELETE "
                     "/users/{id}?action=disassociate of the id this journal created, after a "
                     "GET /users/{id} says it is still pending) and created again:\n";
        for (std::size_t i = 0; i < reinvited.size() && i < reinvites_shown; ++i)
            std::cerr << "  " << reinvited[i] << "\n";
        if (reinvited.size() > reinvites_shown)
            std::cerr << "  and " << reinvited.size() - reinvites_shown << " more\n";
    }
    if (reinvites.on && !account.pending) {
        const auto stale =
            stale_invitations(known, reinvites.now, reinvites.stale_after_days).size();
        if (stale > 0)
            std::cerr << stale
                      << " stale invitations in the journal: which of them would be deleted and "
                         "created again needs the account's pending users, which were not read ("
                      << (account.pending_problem.empty() ? "no list" : account.pending_problem)
                      << ").\n";
    }
    if (!in_doubt.empty())
        std::cerr << in_doubt.size()
                  << " DELETEs of earlier re-invites are in doubt: the run would ask Zoom "
                     "(GET /users/{id}) whether they acted first.\n";
    if (steps > 0)
        std::cerr << steps << " users created by earlier runs still need their group or profile "
                  << "set (one PATCH /users/{id} each).\n";
    if (would_send > 0)
        std::cerr << "At " << limits.rate << " requests/s that takes about "
                  << human_duration(f.seconds_at_rate)
                  << (limits.daily_cap > 0
                          ? " over " + std::to_string(f.days_needed) + " UTC day(s)"
                          : "")
                  << ".\n";
    if (auto text = describe(requests, limits.plan_id, limits.rate); !text.empty())
        std::cerr << text << "\n";
    return count.invalid > 0 ? exit_code::rows_failed : exit_code::ok;
}

} // namespace zprov
