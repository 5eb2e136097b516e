// Which steps after the create (group, profile) a row of the sheet asks for beyond what the
// journal owes: the sheet's group or profile differs from what the journal applied (its
// digests), or a user found in the account (409) is to take the sheet's values
// (--update-existing). Pure functions of values; throw nothing but std::bad_alloc.
#pragma once

#include "zprov/journal/replay.hpp"
#include "zprov/sheet/validation.hpp"

#include <cstdint>

namespace zprov {

// The digest of the group `user` names (its id in the account), 0 when it names none.
std::uint32_t group_digest(const user_record& user);
// The digest of the profile fields the sheet gives for `user`, 0 when it gives none.
std::uint32_t profile_digest(const user_record& user);

struct step_changes {
    bool group = false, profile = false;
    bool any() const { return group || profile; }
};

// What the sheet's row `user` changes for a user the journal knows (`steps`). A part owed,
// deferred or in doubt is not a change (it is sent with the sheet's values anyway); nor is one
// done before digests were recorded (nothing to compare with); nor anything for a user found
// in the account unless `update_existing`, or for a user gone from Zoom.
step_changes changed_steps(const row_steps& steps, const user_record& user, bool update_existing);

} // namespace zprov
