// Following invitations: users made with `create` stay pending until they accept Zoom's
// email. At the start of a run, when the journal holds users it made that it does not know to
// be active, the account's pending users are listed (GET /users?status=pending, paged, rate
// category Medium); each of the journal's pending users the list no longer holds has accepted
// (or was deleted: its next PATCH says so) and is journaled active (seen_record), which makes
// its deferred profile owed in this run. A list that cannot be read is said and skipped: the
// deferred profiles wait for the next run. Throws what the journal and the token holder throw.
#pragma once

#include "zprov/journal.hpp"
#include "zprov/run/groups.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace zprov {

class run_journal;
class journal_syncer;

// The account's pending users, by Zoom id and by lower-cased email (with their id).
struct pending_users {
    std::unordered_set<std::string> ids;
    std::unordered_map<std::string, std::string> emails;
    // Whether the row `key` (Zoom's `user_id`, when known) is among them.
    bool holds(const std::string& key, const std::string& user_id) const;
};

// One page of GET /users: its users added to `into`; the next page's token ("" for the last),
// or std::nullopt when the body is not a list of users.
std::optional<std::string> read_users_page(std::string_view body, pending_users& into);

// Whether the journal holds a user it made that it does not know to be active.
bool any_pending(const journal_summary& journal);

// Journals as active each of the journal's pending users that `pending` no longer holds;
// returns how many, and how many of them have a deferred profile (which becomes owed). A
// user whose re-invite's DELETE is in doubt is left alone: it may be missing from the list
// because the DELETE acted (the run asks Zoom, see reinvites).
struct activations {
    std::size_t users = 0, profiles = 0;
};
activations note_activations(run_journal& journal, const pending_users& pending);

// Every page of GET /users?status=pending, on a connection of its own (to ctx.api, made by
// `network`, closed after); journals nothing. std::nullopt (with `problem` set, and `repeats`
// when every run would fail the same way) when it cannot be read.
boost::asio::awaitable<std::optional<pending_users>>
read_pending_list(request_context& ctx, transport& network, std::string& problem, bool& repeats);

// The whole check, on a connection of its own (to ctx.api, made by `network`, closed after);
// says what it found.
// Returns the list read (std::nullopt: none was needed, or it could not be read).
boost::asio::awaitable<std::optional<pending_users>> check_activations(request_context& ctx,
                                                                       transport& network,
                                                                       run_journal& journal,
                                                                       journal_syncer& syncer);

} // namespace zprov
