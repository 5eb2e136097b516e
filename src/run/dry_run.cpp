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
    while (auto item = rows.next())
        ++(item->steps_only ? steps : would_send);
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
    return count.invalid > 0 ? exit_code::rows_failed : exit_code::ok;
}

} // namespace zprov
