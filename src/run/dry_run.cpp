#include "zprov/run/dry_run.hpp"

#include "zprov/journal.hpp"
#include "zprov/run/row_source.hpp"

#include <iostream>
#include <unistd.h>

namespace zprov {

exit_code dry_run(user_sheet& sheet, const std::string& journal_path, const send_limits& limits,
                  bool retry_failed, const std::function<void(const std::string&)>& verbose,
                  const group_directory* groups) {
    journal_summary known;
    if (::access(journal_path.c_str(), F_OK) == 0)
        known = read_journal(journal_path);
    run_counters count;
    row_source rows(sheet, known, retry_failed, count, nullptr, verbose);
    rows.check_groups(groups);
    std::int64_t would_send = 0, steps = 0;
    step_forecast requests;
    while (auto item = rows.next()) {
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
