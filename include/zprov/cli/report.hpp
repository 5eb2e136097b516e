// `zprov status` and `zprov report`: what a journal says, for people and for scripts.
// Both only read the journal (no lock needed: records are appended whole). Throw
// fatal_error for an unreadable or damaged journal.
#pragma once

#include <iosfwd>
#include <string>

namespace zprov {

// Counts, today's budget and the pause, as text or as the JSON object of DESIGN.md; the
// invitations pending for more than `stale_after_days` days (invitations.hpp).
void print_status(std::ostream& out, const std::string& journal_path, bool json,
                  int stale_after_days);

// One CSV row per row of the import: email, outcome, zoom_user_id, http_status, zoom_code,
// message, attempts, line. With failed_only: the invalid, rejected and failed rows in the
// input's own columns, ready to be fixed and fed back. Cells that a spreadsheet would read
// as a formula are neutralised. With `bom` the text starts with a UTF-8 byte-order mark, by
// which Excel knows it is UTF-8 (without one it reads the file in the Windows code page).
void write_report(std::ostream& out, const std::string& journal_path, bool failed_only, bool bom);

// A CSV cell: quoted when needed; a leading =, +, -, @ (or tab/CR) gets a ' in front.
std::string csv_cell(std::string_view text);

} // namespace zprov
