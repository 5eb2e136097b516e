// `zprov run --dry-run`: what a run would send, by the sheet and the journal (if there is
// one), with the time it would take; with the account's groups (read with credentials),
// rows naming no group of the account count as invalid; with --reinvite and the account's
// pending users (read with credentials, run/dry_run_reads), which stale invitations would be
// deleted and created again. Sends nothing and writes nothing. Throws what reading the sheet
// and the journal throws.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/run/config.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/run/row_source.hpp"
#include "zprov/run/steps/group_directory.hpp"
#include "zprov/sheet/user_sheet.hpp"

#include <functional>
#include <string>

namespace zprov {

struct journal_summary;
struct pending_users;

// The journal at `journal_path` as a dry run reads it: empty when there is none yet.
journal_summary known_rows(const std::string& journal_path);

// What the dry run learnt from the account: null where it read nothing; `pending_problem`
// says why the pending users were not read, when --reinvite wanted them.
struct dry_run_account {
    const group_directory* groups = nullptr;
    const pending_users* pending = nullptr;
    std::string pending_problem{};
};

exit_code dry_run(user_sheet& sheet, const std::string& journal_path, const send_limits& limits,
                  bool retry_failed, const std::function<void(const std::string&)>& verbose,
                  const dry_run_account& account = {}, reinvite_plan reinvites = {});

} // namespace zprov
