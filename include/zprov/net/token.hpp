// Credentials and the bearer token every worker shares. A static ZOOM_ACCESS_TOKEN is used
// as is; with Server-to-Server OAuth (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)
// one holder fetches a token at start, refreshes it before it expires, and after a 401/124
// refreshes once for everyone (single flight: a new token may invalidate the old one).
//
// Secrets are read from the environment only and never logged. token() and refresh()
// throw fatal_error: no_permission (77) when Zoom refuses the client credentials,
// unavailable (69) when the OAuth endpoint cannot be reached after retries.
#pragma once

#include "zprov/net/endpoint.hpp"
#include "zprov/net/transport.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace zprov {

struct credentials {
    std::string access_token;
    std::string account_id, client_id, client_secret;
    bool server_to_server() const { return access_token.empty(); }
};

// Throws fatal_error(config) when neither form is complete, naming what is missing.
credentials credentials_from_environment();

// Wipes the credential variables from the environment (and the memory that held them) once
// credentials_from_environment() has copied them: child processes and a reader of
// /proc/PID/environ see them no more.
void forget_credentials_environment();

// How long a fresh token is used before it is refreshed: a safety margin before expiry.
std::chrono::seconds token_use_time(std::chrono::seconds expires_in);

class token_holder {
public:
    // Talks to `oauth` on a connection `network` makes (the OAuth endpoint's timeouts).
    token_holder(boost::asio::any_io_executor executor, transport& network, endpoint oauth,
                 credentials creds, std::function<void(const std::string&)> log);
    ~token_holder();

    // A token believed valid ("Bearer " not included).
    boost::asio::awaitable<std::string> token();
    // `rejected` was refused with 401/124: get a new one unless another worker already
    // did. Returns false when the token cannot be refreshed (a static token).
    boost::asio::awaitable<bool> refresh(const std::string& rejected);

    int grants() const { return grants_; }
    // The `scope` of the latest OAuth answer (space-separated), if it said; a static token's
    // scopes are unknown.
    const std::optional<std::string>& scopes() const { return scopes_; }

private:
    boost::asio::awaitable<void> fetch();

    struct impl;
    std::unique_ptr<impl> impl_;
    int grants_ = 0;
    std::optional<std::string> scopes_;
};

} // namespace zprov
