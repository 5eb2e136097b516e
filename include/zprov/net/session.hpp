// One keep-alive HTTP/1.1 connection to an endpoint, over TLS (1.2 or later, peer and
// host-name verification always on, SNI) or, for loopback hosts only, plain TCP; through
// the endpoint's proxy, if it has one, by an HTTP CONNECT tunnel. A call connects when
// needed, sends one request and reads one response, each step under a timeout (the host
// name's lookup too). A request is never written on a connection that has been idle past
// a short limit or that the peer has closed: such a connection is reopened first. After
// any error, or when the server asks, the connection is dropped and the next call
// reconnects. Calls never throw for network trouble: the result says what happened, as an
// error code and the stage it happened at, rendered to text by message(). The product's
// side of the engine's seam (transport.hpp): network_transport makes http_sessions.
#pragma once

#include "zprov/net/endpoint.hpp"
#include "zprov/net/transport.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace zprov {

// The TLS settings every connection shares: TLS 1.2+, verify_peer, the system trust store
// (trust_store.hpp) plus `ca_file` (if not empty). Throws fatal_error(config) when ca_file
// cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& ca_file);

// Why a certificate was refused, from OpenSSL's verify result: a host-name mismatch, an
// expired certificate, an unknown issuer (only then is --ca-file suggested), ...
std::string certificate_problem(long verify_result, const std::string& host);

class name_lookup;

class http_session final : public connection {
public:
    // `lookup` looks host names up (name_lookup.hpp); none: a name_lookup of the system's
    // resolver.
    http_session(boost::asio::any_io_executor executor,
                 std::shared_ptr<boost::asio::ssl::context> tls, endpoint where,
                 session_timeouts timeouts = {}, std::shared_ptr<name_lookup> lookup = nullptr);
    ~http_session() override;
    http_session(const http_session&) = delete;
    http_session& operator=(const http_session&) = delete;

    // Connects and handshakes unless a connection is open: callers that pace requests call
    // this first, so that the time a request is let go is the time it is sent. The result
    // is ok() when the connection is ready. An open connection that is idle past the limit
    // or closed by the peer is reopened, here and again in call().
    boost::asio::awaitable<call_result> open() override;
    boost::asio::awaitable<call_result> call(const http_call& request) override;
    // Closes the connection politely (TLS close_notify) if one is open.
    boost::asio::awaitable<void> close() override;

    const endpoint& where() const;
    // Connections opened so far (reconnects show up here).
    int connects() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Makes http_sessions on `executor` with the run's TLS settings.
class network_transport final : public transport {
public:
    network_transport(boost::asio::any_io_executor executor,
                      std::shared_ptr<boost::asio::ssl::context> tls)
        : executor_(std::move(executor)), tls_(std::move(tls)) {}
    std::unique_ptr<connection> connect(const endpoint& where,
                                        const session_timeouts& timeouts = {}) override;

private:
    boost::asio::any_io_executor executor_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
};

} // namespace zprov
