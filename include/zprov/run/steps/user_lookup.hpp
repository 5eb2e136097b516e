// After a 409 (the email is used), asking Zoom where the user is: GET /users/{email} (with
// --account-id, GET /accounts/{accountId}/users/{email}) tells
// a user of this account (200: id, status, creation time) from a Zoom user of another
// account (404 / 1001). The lookup takes its turn from the pacer of its own rate-limit
// category, refreshes a refused token once, waits out per-second 429s and retries failures
// like a row. Throws only what the token holder throws.
#pragma once

#include "zprov/base/clock.hpp"
#include "zprov/run/contexts.hpp"
#include "zprov/run/zoom_answer.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace zprov {

class connection;

struct user_lookup {
    enum class found {
        here,      // a user of this account
        elsewhere, // Zoom knows the address, not as a user of this account
        refused,   // Zoom refused the lookup for the account (scope, privilege): stop
        unknown,   // no answer that says (failures, the run stopped)
    };
    found where = found::unknown;
    std::string id, status; // Zoom's, when found here
    // When Zoom created the user (its user_created_at), when it says. Never its created_at:
    // for a pending user that is the time of the GET.
    std::optional<sys_seconds> user_created_at;
    bool expired = false; // found here as an invitation that lapsed (400/1120): no id given
    std::string problem;  // what went wrong, when not found
};

// The path (under the API's version path) where rows are created: /users, or with
// --account-id the sub-account's /accounts/{accountId}/users. Lookups go to the same
// account's /users/{email}.
std::string create_target(const request_context& ctx);
// The path of the account's user `user` (an id or an email; zoom_api's paths encode it):
// /users/{user}, or the sub-account's.
std::string user_target(const request_context& ctx, std::string_view user);

// What a GET /users/{email} answer says (status, body); std::nullopt when it says nothing
// that settles the question (a failure, a 429, a refused token).
std::optional<user_lookup> read_lookup(int status, std::string_view body);

boost::asio::awaitable<user_lookup> look_up(request_context& ctx, connection& session,
                                            const std::string& email);

} // namespace zprov
