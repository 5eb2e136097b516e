// Invitations that may have expired: users this journal created with `create` that are still
// pending (no seen record says active or gone) long after their create. Zoom's invitations
// reportedly expire after 30 days and no call resends one; `status` lists these users and
// `run --reinvite` deletes and creates them again.
#pragma once

#include "zprov/base/clock.hpp"
#include "zprov/journal/replay.hpp"

#include <string>
#include <vector>

namespace zprov {

struct stale_invitation {
    std::string email; // the row's identity (lower-cased)
    sys_seconds created;
};

// The default of --stale-after: days a user may stay pending before the invitation counts
// as stale.
inline constexpr int default_stale_after_days = 25;

// Whether `row` is a user this journal created that is still pending, created more than
// `days` days before `now` (a row without a recorded create time is not).
bool is_stale(const row_state& row, sys_seconds now, int days);

// The stale invitations of a journal, oldest first.
std::vector<stale_invitation> stale_invitations(const journal_summary& s, sys_seconds now,
                                                int days);

} // namespace zprov
