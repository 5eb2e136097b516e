// The steps after a create: PATCH /users/{id} with the row's group (`group_id`) and, for
// users that are active at once (autoCreate, custCreate, ssoCreate), its profile fields in
// the same request. A user made with `create` stays pending until they accept Zoom's email,
// and Zoom drops profile changes sent to a pending user: their profile stays deferred.
// Each request is journaled like a create (an intent, then done or failed); a step in doubt
// is simply sent again (PATCH is idempotent). Throws only what the journal and the token
// holder throw.
#pragma once

#include "zprov/run/contexts.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace zprov {

class connection;

// The body of PATCH /users/{id} that sets the group (if `group`) and the profile (if
// `profile`) of `user`: only the fields the sheet gives.
std::string profile_patch_body(const user_record& user, bool group, bool profile);

// Sends the steps the journal says `item`'s row owes, and those the sheet changed since they
// were applied (run/step_plan), if any; a pending user's profile stays deferred.
boost::asio::awaitable<void> apply_steps(row_context& ctx, connection& session,
                                         const work_item& item);

} // namespace zprov
