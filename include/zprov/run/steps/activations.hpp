// Following invitations: users made with `create` stay pending until they accept Zoom's
// email. At the start of a run, when the journal holds users it made that it knows to be
// pending, the account's pending users are listed (GET /users?status=pending, paged, rate
// category Medium). Zoom's list carries no id for a pending user, so it is matched by email
// (lower-cased, as Zoom treats addresses). A user the list no longer holds is not taken for
// active: it is asked about (GET /users/{id}, Light): `active` journals it active (its
// deferred profile becomes owed), `pending` leaves it, 400/1120 journals it expired (the
// invitation lapsed), 404/1001 gone. A list answer that is not a well-formed list, a page
// token that repeats, or more pages than the list's own count allow end the listing with a
// warning and conclude nothing: the run goes on to its creates. Throws what the journal and
// the token holder throw.
#pragma once

#include "zprov/journal/replay.hpp"
#include "zprov/run/steps/groups.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zprov {

class run_journal;
class journal_syncer;

// The account's pending users, by lower-cased email, with the id the list gave (empty: Zoom
// gives none for pending users).
struct pending_users {
    std::unordered_map<std::string, std::string> emails;
    // Whether the row `key` (a lower-cased email) is among them.
    bool holds(const std::string& key) const { return emails.contains(key); }
};

// One page of GET /users: its users added to `into`, the next page's token ("" for the last)
// and the list's own count of its entries (total_records), when given; std::nullopt when the
// body is not a well-formed page (no `users` array, an entry without an email, an error's
// shape).
struct users_page {
    std::string next;
    std::optional<std::int64_t> total_records;
};
std::optional<users_page> read_users_page(std::string_view body, pending_users& into);

// Whether the journal holds a user it made that it knows to be pending.
bool any_pending(const journal_summary& journal);

// The journal's pending users that `pending` does not hold, to ask Zoom about: each with the
// id its create recorded (empty when none was), by identity. Users whose re-invite's DELETE
// is in doubt are left out (the run asks Zoom about them, see reinvites).
struct unlisted_user {
    std::string key, id;
};
std::vector<unlisted_user> unlisted_users(const journal_summary& journal,
                                          const pending_users& pending);

// What GET /users/{id} said of one unlisted user.
enum class asked_state { active, pending, expired, gone, unknown };
// `status`/`body`: the answer; `email`: the row's identity, which an answer about another
// address does not settle.
asked_state read_asked(int status, std::string_view body, const std::string& email);

// What the check found.
struct activations {
    std::size_t users = 0, profiles = 0, expired = 0, gone = 0, unsettled = 0;
};

// Every page of GET /users?status=pending, on a connection of its own (to ctx.api, made by
// `network`, closed after); journals nothing. std::nullopt (with `problem` set, and `repeats`
// when every run would fail the same way) when it cannot be read.
boost::asio::awaitable<std::optional<pending_users>>
read_pending_list(request_context& ctx, transport& network, std::string& problem, bool& repeats);

// The whole check, on a connection of its own (to ctx.api, made by `network`, closed after);
// says what it found. Returns the list read (std::nullopt: none was needed, or it could not be
// read to its end).
boost::asio::awaitable<std::optional<pending_users>> check_activations(request_context& ctx,
                                                                       transport& network,
                                                                       run_journal& journal,
                                                                       journal_syncer& syncer);

} // namespace zprov
