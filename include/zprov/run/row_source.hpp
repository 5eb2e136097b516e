// The rows a run sends: streams the sheet, journals invalid rows (once), and skips rows the
// journal has settled, counting what it skips. A row is read only when a worker asks for
// one, so memory does not grow with the sheet. next() throws csv_file_error (exit 65) for
// file-level problems, and what the journal throws.
#pragma once

#include "zprov/journal.hpp"
#include "zprov/run/group_directory.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/run_state.hpp"
#include "zprov/user_sheet.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zprov {

// Whether the row `key` is to be sent, by what the journal says of it.
bool needs_sending(const journal_summary& state, const std::string& key, bool retry_failed);

// The current row's cells as the journal and the report keep them: secrets blanked.
std::vector<std::string> report_cells(const user_sheet& sheet);

// Rows of `sheet` that would be sent (for the progress total).
std::int64_t count_pending(user_sheet& sheet, const journal_summary& state, bool retry_failed);

class row_source {
public:
    // `journal` null: invalid rows are counted, not recorded. `verbose` (may be empty) gets a
    // line per invalid row.
    row_source(user_sheet& sheet, const journal_summary& state, bool retry_failed,
               run_counters& count, run_journal* journal,
               std::function<void(const std::string&)> verbose);

    // Rows naming a User Group are matched to `groups` (read from the account): a name that
    // matches none makes the row invalid. Without it (offline), the name is not checked.
    void check_groups(const group_directory* groups) { groups_ = groups; }
    // Users found in the account (409) take the sheet's group and profile (--update-existing).
    void update_existing(bool on) { update_existing_ = on; }

    // The next row to send (or, with steps_only, whose steps after the create are owed or
    // changed by the sheet), or std::nullopt at the end of the sheet.
    std::optional<work_item> next();

private:
    user_sheet& sheet_;
    const journal_summary& state_;
    bool retry_failed_;
    run_counters& count_;
    run_journal* journal_;
    std::function<void(const std::string&)> verbose_;
    const group_directory* groups_ = nullptr;
    bool update_existing_ = false;
    bool exhausted_ = false;
};

} // namespace zprov
