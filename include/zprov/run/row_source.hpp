// The rows a run sends: streams the sheet, journals invalid rows (once), and skips rows the
// journal has settled, counting what it skips. A row is read only when a worker asks for
// one, so memory does not grow with the sheet. next() throws csv_file_error (exit 65) for
// file-level problems, and what the journal throws.
#pragma once

#include "zprov/journal/replay.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/run_state.hpp"
#include "zprov/run/steps/group_directory.hpp"
#include "zprov/sheet/user_sheet.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace zprov {

struct pending_users;

// Which rows a run sends again as re-invites (see run/reinvites): users this journal created
// whose invitation is stale (invitations.hpp) and that the account still lists as pending,
// and those whose invitation expired (created again without a DELETE), at most `max`, after
// every other row of the sheet. Rows whose re-invite's DELETE is in
// doubt are always taken (the run settles them).
struct reinvite_plan {
    const pending_users* pending = nullptr; // the list read at the start; null: none read
    bool on = false;                        // --reinvite
    int max = 0;                            // --max-reinvites
    int stale_after_days = 0;
    sys_seconds now{};
};

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
    void reinvites(const reinvite_plan& plan) { reinvite_ = plan; }

    // The next row to send (or, with steps_only, whose steps after the create are owed or
    // changed by the sheet), then the re-invites, or std::nullopt at the end.
    std::optional<work_item> next();

private:
    // Whether `row`, invalid now, is one the journal records as created or exists: it stays
    // so, and `steps` gets its steps if any may go (a group naming none of the account only
    // blocks the group step, which says so).
    bool created_but_invalid_now(sheet_row& row, std::optional<work_item>& steps);
    // Keeps the row for the re-invites at the end, if it is one.
    bool queue_reinvite(sheet_row& row, std::string& key, const row_state& known);
    // Whether the row is to be re-invited now: --reinvite, stale, still listed as pending by
    // email, within --max-reinvites.
    bool reinvite_wanted(const std::string& key, const row_state& known) const;
    // DELETEs in doubt whose rows the sheet no longer holds (or holds invalid): queued to be
    // settled, never created.
    void settle_left_rows();
    // A user this journal created whose invitation expired (Zoom answered 1120).
    static bool expired(const row_state& known);
    // Keeps an expired row to be created again at the end (--reinvite, within
    // --max-reinvites; no DELETE: Zoom answers 1120 to one); false when it is not.
    bool queue_recreate(sheet_row& row, std::string& key);

    user_sheet& sheet_;
    const journal_summary& state_;
    bool retry_failed_;
    run_counters& count_;
    run_journal* journal_;
    std::function<void(const std::string&)> verbose_;
    const group_directory* groups_ = nullptr;
    bool update_existing_ = false;
    bool exhausted_ = false;
    reinvite_plan reinvite_;
    int stale_taken_ = 0;                           // stale invitations queued (--max-reinvites)
    std::unordered_set<std::string> doubts_queued_; // rows in doubt the sheet held
    std::vector<work_item> reinvites_;              // sent after the sheet's other rows
    std::size_t next_reinvite_ = 0;
};

} // namespace zprov
