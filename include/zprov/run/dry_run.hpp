// `zprov run --dry-run`: what a run would send, by the sheet and the journal (if there is
// one), with the time it would take; with the account's groups (read with credentials),
// rows naming no group of the account count as invalid. Sends nothing and writes nothing. Throws
// what reading the sheet and the journal throws.
#pragma once

#include "zprov/exit_codes.hpp"
#include "zprov/plans.hpp"
#include "zprov/run/group_directory.hpp"
#include "zprov/settings.hpp"
#include "zprov/user_sheet.hpp"

#include <functional>
#include <string>

namespace zprov {

exit_code dry_run(user_sheet& sheet, const std::string& journal_path, const send_limits& limits,
                  bool retry_failed, const std::function<void(const std::string&)>& verbose,
                  const group_directory* groups = nullptr);

} // namespace zprov
