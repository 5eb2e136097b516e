// One keep-alive HTTP/1.1 connection to an endpoint, over TLS (1.2 or later, peer and
// host-name verification always on, SNI) or, for loopback hosts only, plain TCP; through
// the endpoint's proxy, if it has one, by an HTTP CONNECT tunnel. A call
// connects when needed, sends one request and reads one response, each step under a
// timeout; after any error, or when the server asks, the connection is dropped and the
// next call reconnects. Calls never throw for network trouble: the result says what
// happened.
#pragma once

#include "zprov/endpoint.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace zprov {

// The TLS settings every connection shares: TLS 1.2+, verify_peer, the system trust store
// plus `ca_file` (if not empty). Throws fatal_error(config) when ca_file cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& ca_file);

// Why a certificate was refused, from OpenSSL's verify result: a host-name mismatch, an
// expired certificate, an unknown issuer (only then is --ca-file suggested), ...
std::string certificate_problem(long verify_result, const std::string& host);

struct http_call {
    std::string method = "POST";
    std::string target;       // "/v2/users"
    std::string content_type; // empty: no body
    std::string body;
    std::string authorization; // the whole header value ("Bearer ..."), or empty
};

struct http_reply {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(std::string_view name) const; // first match, case-insensitive
};

struct call_result {
    bool ok = false; // a response was read
    http_reply reply;
    std::string error;                // what went wrong when !ok
    bool certificate_refused = false; // TLS verification failed: retrying will not help
    bool proxy_refused = false;       // the proxy refused its credentials (407): likewise
    bool sent = false;                // the request may have reached the server
    // When the request was written (steady clock): what a pacer counts as its send time.
    std::chrono::steady_clock::time_point sent_at;
};

struct session_timeouts {
    std::chrono::milliseconds connect{10'000};
    std::chrono::milliseconds exchange{30'000}; // write + read of one call
};

class http_session {
public:
    http_session(boost::asio::any_io_executor executor,
                 std::shared_ptr<boost::asio::ssl::context> tls, endpoint where,
                 session_timeouts timeouts = {});
    ~http_session();
    http_session(const http_session&) = delete;
    http_session& operator=(const http_session&) = delete;

    // Connects and handshakes unless a connection is open: callers that pace requests call
    // this first, so that the time a request is let go is the time it is sent. The result
    // has ok == true when the connection is ready, else the error.
    boost::asio::awaitable<call_result> open();
    boost::asio::awaitable<call_result> call(const http_call& request);
    // Closes the connection politely (TLS close_notify) if one is open.
    boost::asio::awaitable<void> close();

    const endpoint& where() const;
    // Connections opened so far (reconnects show up here).
    int connects() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// "POST /v2/users HTTP/1.1" with headers, Authorization redacted: what --trace prints.
std::string describe_request(const endpoint& where, const http_call& call);
std::string describe_reply(const http_reply& reply);

} // namespace zprov
