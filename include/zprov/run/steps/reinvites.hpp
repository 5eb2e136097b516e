// Sending a stale invitation again (run --reinvite). Zoom's invitations expire after 30 days
// and no call resends one: the user this journal created, still pending, is deleted
// (DELETE /users/{id}?action=disassociate, rate category Light) and its row is then created
// again like a new row, spending a create from the day's budget. The DELETE is destructive
// for an active user (they leave the organisation), so:
// - the only id ever deleted is the one this journal's own create recorded
//   (journal_summary::pending_id), never one taken from a list;
// - a GET /users/{id} made just before the DELETE must say `pending`, with that id and the
//   row's email; active, expired (1120), gone (404/1001) or anything else: no DELETE;
// - the new create's unit of the day's budget is reserved before the DELETE (with one
//   create left, at most one DELETE), and given back when nothing was deleted;
// - the DELETE is journaled like a create (reinvite_record: an intent before, its outcome
//   after) and written once per GET: a DELETE that may have acted (no answer, a 429, a 5xx)
//   is settled by GET: 404/1001 means deleted (created again, once); still pending means it
//   did not act (one more GET-then-DELETE, bounded); no answer leaves it in doubt;
// - a DELETE in doubt from an earlier run is settled the same way before anything else,
//   also when its row has left the sheet (then nothing is created);
// - a single DELETE answered 404/1001 right after a GET that said pending: someone else
//   deleted the user; journaled gone, not created again.
// A re-invite not done is said as a row problem and counted (run_counters::reinvites_failed).
// Throws only what the journal and the token holder throw.
#pragma once

#include "zprov/run/row_sender.hpp"

#include <boost/asio/awaitable.hpp>

namespace zprov {

class connection;

// Deletes the user of `item` (a re-invite: item.reinvite_id) if it may; true when the row is
// to be created now (the reserved create then goes with the item: item.create_reserved).
boost::asio::awaitable<bool> delete_for_reinvite(row_context& ctx, connection& session,
                                                 work_item& item);

} // namespace zprov
