// Sending a stale invitation again (run --reinvite). Zoom's invitations reportedly expire
// after 30 days and no call resends one: the user this journal created, still pending, is
// deleted (DELETE /users/{id}?action=disassociate, rate category Light) and its row is then
// created again like a new row, spending a create from the day's budget. The DELETE is
// journaled like a create (reinvite_record: an intent before, its outcome after), so a kill
// neither loses nor repeats one:
// - a DELETE in doubt (an intent without an outcome) whose user the account no longer lists
//   as pending is settled by asking Zoom (GET /users/{email}): not there, the DELETE acted
//   and the row is created again; active, the user accepted meanwhile and is left alone;
// - a DELETE not in doubt answered 404/1001 means someone else deleted the user: it is
//   journaled gone and not created again.
// Only deleted when the day's budget still has a create for the row. Throws only what the
// journal and the token holder throw.
#pragma once

#include "zprov/run/row_sender.hpp"

#include <boost/asio/awaitable.hpp>

namespace zprov {

class connection;

// Deletes the user of `item` (a re-invite: item.reinvite_id) if it may; true when the row is
// to be created now.
boost::asio::awaitable<bool> delete_for_reinvite(row_context& ctx, connection& session,
                                                 const work_item& item);

} // namespace zprov
