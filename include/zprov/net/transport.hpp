// The seam between the engine and the network: a connection to one endpoint that opens,
// carries one call at a time and closes, each step an awaitable (connection), and what makes
// such connections (transport). The product's is http_session (HTTP/1.1 over TCP and TLS);
// the tests' is a scripted one in process (tests/scripted_transport.hpp), as a build tool's
// command runner is faked to test its scheduler. Also the vocabulary of a call: the request,
// the answer, and why there is no answer (a transport_error: an error code and the stage it
// happened at, rendered to text by message()). Calls never throw for network trouble.
#pragma once

#include "zprov/net/endpoint.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zprov {

// The most bytes of an answer's body read by default: a user, an error, a token.
inline constexpr std::size_t default_answer_limit = 64 * 1024;

struct http_call {
    std::string method = "POST";
    std::string target;       // "/v2/users"
    std::string content_type; // empty: no body
    std::string body;
    std::string authorization; // the whole header value ("Bearer ..."), or empty
    // The most bytes of the answer's body read; a longer one fails (answer_too_large()).
    std::size_t answer_limit = default_answer_limit;
};

struct http_reply {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(std::string_view name) const; // first match, case-insensitive
};

// Where a call failed: looking the host name up, opening the TCP connection, the proxy's
// CONNECT tunnel, the TLS handshake, writing the request, reading the answer.
enum class net_stage { resolve, connect, proxy, handshake, write, read };
std::string_view stage_name(net_stage stage); // "resolve", "connect", ...

// Failures that are not the system's: what the proxy or the certificate check refused.
enum class net_errc {
    proxy_credentials_refused = 1, // the proxy answered CONNECT with 407
    proxy_tunnel_refused,          // ... with another status that is not 2xx
    proxy_spoke_first,             // bytes after its CONNECT answer, before the TLS hello
    certificate_refused,           // the TLS peer's certificate failed verification
    interim_answers,               // 101, or too many 1xx answers before the real one
    not_sent,                      // the call gave up before the request was written
};
const boost::system::error_category& net_category();
boost::system::error_code make_error_code(net_errc e);
} // namespace zprov

template <>
struct boost::system::is_error_code_enum<zprov::net_errc> : std::true_type {};

namespace zprov {

// A transport failure: an error code, the stage it happened at, and the few facts its text
// needs. message() renders it; nothing else turns it into words.
struct transport_error {
    net_stage stage = net_stage::connect;
    boost::system::error_code code;
    std::string peer; // "api.zoom.us", or "proxy http://proxy:3128": what was contacted
    std::string host; // the host the certificate must name; the tunnel's target
    std::chrono::milliseconds limit{0}; // the timeout that ran out, if one did
    long verify_result = 0;             // certificate_refused: OpenSSL's verify result
    int proxy_status = 0;               // proxy_*_refused: the status of its CONNECT answer
    std::string proxy_reason;           // and its reason phrase, as the proxy sent it
    bool proxy_credentials = false;     // credentials were offered to the proxy
    std::size_t answer_limit = 0;       // the call's limit on the answer's size, in bytes

    bool timed_out() const;
    // Retrying cannot help: the certificate or the proxy's credentials were refused.
    bool certificate_refused() const { return code == net_errc::certificate_refused; }
    bool proxy_refused() const { return code == net_errc::proxy_credentials_refused; }
    bool hopeless() const { return certificate_refused() || proxy_refused(); }
    // The answer was longer than the call allows: the same call gets it again.
    bool answer_too_large() const;
    std::string message() const;
};

struct call_result {
    http_reply reply;                       // the answer (open(): none), when ok()
    std::optional<transport_error> failure; // why there is no answer
    bool sent = false;                      // the request may have reached the server
    // When the request was written (steady clock): what a pacer counts as its send time.
    std::chrono::steady_clock::time_point sent_at;

    bool ok() const { return !failure; }
    std::string error() const { return failure ? failure->message() : std::string(); }
};

struct session_timeouts {
    std::chrono::milliseconds resolve{10'000};  // looking the host name up
    std::chrono::milliseconds connect{10'000};  // TCP connect, CONNECT tunnel, TLS handshake
    std::chrono::milliseconds exchange{30'000}; // write + read of one call
    // A connection idle longer than this is reopened before the next request: shorter than
    // the keep-alive timeouts of common servers and middleboxes (5 s and more), so that a
    // request never races the server's close of an idle connection.
    std::chrono::milliseconds idle{4'000};
};

// "POST /v2/users HTTP/1.1" with headers, Authorization redacted: what --trace prints.
std::string describe_request(const endpoint& where, const http_call& call);
std::string describe_reply(const http_reply& reply);

// One keep-alive connection to one endpoint, as the engine uses it.
class connection {
public:
    virtual ~connection() = default;

    // Connects unless a connection is open and usable: callers that pace requests call this
    // first, so that the time a request is let go is the time it is sent. ok() when ready.
    virtual boost::asio::awaitable<call_result> open() = 0;
    // Sends one request and reads its answer, reopening the connection first if needed.
    virtual boost::asio::awaitable<call_result> call(const http_call& request) = 0;
    // Closes the connection politely if one is open.
    virtual boost::asio::awaitable<void> close() = 0;
};

// Makes the connections of a run: one per worker, one for each list read at the start, one
// for the OAuth endpoint.
class transport {
public:
    virtual ~transport() = default;
    virtual std::unique_ptr<connection> connect(const endpoint& where,
                                                const session_timeouts& timeouts = {}) = 0;
};

} // namespace zprov
