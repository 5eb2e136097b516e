#include "zprov/net/session.hpp"

#include "zprov/base/exit_codes.hpp"
#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/name_lookup.hpp"
#include "zprov/net/trust_store.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <poll.h>

#include <optional>

namespace zprov {

namespace {
// Interim (1xx) answers skipped before the real one; more means a broken server.
constexpr int interim_answers_limit = 8;

} // namespace

std::shared_ptr<ssl::context> make_tls_context(const std::string& ca_file) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_verify_mode(ssl::verify_peer);
    trust_system_store(ctx->native_handle(), system_trust_paths());
    if (!ca_file.empty()) {
        boost::system::error_code ec;
        ctx->load_verify_file(ca_file, ec);
        if (ec)
            throw fatal_error(exit_code::config,
                              "--ca-file " + ca_file +
                                  ": cannot load CA certificates: " + ec.message());
    }
    return ctx;
}

std::string http_reply::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name))
            return v;
    return {};
}

struct http_session::impl {
    impl(net::any_io_executor ex, std::shared_ptr<ssl::context> ctx, endpoint e, session_timeouts t,
         std::shared_ptr<name_lookup> l)
        : executor(std::move(ex)), tls(std::move(ctx)), where(std::move(e)), timeouts(t),
          lookup(l ? std::move(l) : std::make_shared<name_lookup>()) {}

    using steady = std::chrono::steady_clock;

    net::any_io_executor executor;
    std::shared_ptr<ssl::context> tls;
    endpoint where;
    session_timeouts timeouts;
    std::shared_ptr<name_lookup> lookup;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    std::optional<beast::tcp_stream> plain;
    beast::flat_buffer buffer;
    int connects = 0;
    bool reused = false;           // the open connection has carried an exchange
    steady::time_point idle_since; // when the open connection last carried anything

    bool open() const { return secure.has_value() || plain.has_value(); }
    beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

    void drop() {
        boost::system::error_code ignored;
        if (open())
            tcp().socket().close(ignored);
        secure.reset();
        plain.reset();
        buffer.clear();
        reused = false;
    }

    // A failure at `stage` talking to the endpoint (or its proxy, for the steps before the
    // tunnel), with the timeout that applied to it.
    transport_error failure(net_stage stage, boost::system::error_code code,
                            std::chrono::milliseconds limit, bool to_proxy = false) const {
        transport_error e;
        e.stage = stage;
        e.code = code;
        e.peer = to_proxy ? "proxy " + where.proxy->name : where.host_header;
        e.host = stage == net_stage::proxy ? authority() : where.host;
        e.limit = limit;
        return e;
    }

    // Connects (through the proxy, if any) and handshakes.
    net::awaitable<std::optional<transport_error>> connect() {
        const bool proxied = where.proxy.has_value();
        // Named, not temporaries: g++ 12 mis-destroys temporaries inside a co_await.
        const std::string& host = proxied ? where.proxy->host : where.host;
        const std::string& port = proxied ? where.proxy->port : where.port;
        auto error = co_await open_tcp(host, port, proxied);
        if (!error && proxied)
            error = co_await tunnel();
        if (!error && where.tls)
            error = co_await handshake();
        if (error)
            drop();
        else
            idle_since = steady::now();
        co_return error;
    }

    net::awaitable<std::optional<transport_error>> open_tcp(const std::string& host,
                                                            const std::string& port, bool proxied) {
        // A named value: g++ 12 mis-destroys a non-trivial value bound straight from co_await.
        lookup_answer found = co_await lookup->find(host, port, timeouts.resolve);
        if (found.ec)
            co_return failure(net_stage::resolve, found.ec, timeouts.resolve, proxied);
        if (where.tls)
            secure.emplace(executor, *tls);
        else
            plain.emplace(executor);
        tcp().expires_after(timeouts.connect);
        auto [cec, ep] =
            co_await tcp().async_connect(found.results, net::as_tuple(net::use_awaitable));
        if (cec)
            co_return failure(net_stage::connect, cec, timeouts.connect, proxied);
        tcp().socket().set_option(net::ip::tcp::no_delay(true));
        ++connects;
        co_return std::nullopt;
    }

    // "api.zoom.us:443": what a CONNECT asks for.
    std::string authority() const {
        const bool ipv6 = where.host.find(':') != std::string::npos;
        return (ipv6 ? "[" + where.host + "]" : where.host) + ":" + where.port;
    }

    // Asks the proxy for a tunnel to the endpoint. Its credentials go in the request only.
    net::awaitable<std::optional<transport_error>> tunnel() {
        const auto& proxy = *where.proxy;
        http::request<http::empty_body> req{http::verb::connect, authority(), 11};
        req.set(http::field::host, authority());
        req.set(http::field::user_agent, "zprov");
        if (!proxy.authorization.empty())
            req.set(http::field::proxy_authorization, proxy.authorization);
        tcp().expires_after(timeouts.connect);
        auto [wec, wn] = co_await http::async_write(tcp(), req, net::as_tuple(net::use_awaitable));
        if (wec)
            co_return failure(net_stage::proxy, wec, timeouts.connect, true);
        http::response_parser<http::empty_body> parser;
        parser.skip(true); // the tunnel, not a body, follows the answer's header
        auto [rec, rn] = co_await http::async_read_header(tcp(), buffer, parser,
                                                          net::as_tuple(net::use_awaitable));
        if (rec)
            co_return failure(net_stage::proxy, rec, timeouts.connect, true);
        const auto status = parser.get().result_int();
        if (status / 100 == 2 && buffer.size() == 0)
            co_return std::nullopt;
        // The server speaks after the client's hello, never before.
        auto refused = failure(net_stage::proxy,
                               status == 407       ? net_errc::proxy_credentials_refused
                               : status / 100 != 2 ? net_errc::proxy_tunnel_refused
                                                   : net_errc::proxy_spoke_first,
                               timeouts.connect, true);
        refused.proxy_status = static_cast<int>(status);
        refused.proxy_reason = std::string(parser.get().reason());
        refused.proxy_credentials = !proxy.authorization.empty();
        co_return refused;
    }

    net::awaitable<std::optional<transport_error>> handshake() {
        boost::system::error_code addr_ec;
        net::ip::make_address(where.host, addr_ec);
        // OpenSSL's own name check, so that a mismatch has its own verify result.
        auto* handle = secure->native_handle();
        if (addr_ec) { // SNI is for names, not IP literals
            SSL_set_tlsext_host_name(handle, where.host.c_str());
            SSL_set1_host(handle, where.host.c_str());
        } else {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), where.host.c_str());
        }
        tcp().expires_after(timeouts.connect);
        auto [hec] = co_await secure->async_handshake(ssl::stream_base::client,
                                                      net::as_tuple(net::use_awaitable));
        if (!hec)
            co_return std::nullopt;
        auto e = failure(net_stage::handshake, hec, timeouts.connect);
        const long verify = SSL_get_verify_result(secure->native_handle());
        if (verify != X509_V_OK) {
            e.code = net_errc::certificate_refused;
            e.verify_result = verify;
        }
        co_return e;
    }

    template <class Stream>
    net::awaitable<call_result> exchange(Stream& stream, http::request<http::string_body>& req,
                                         std::size_t answer_limit) {
        call_result result;
        tcp().expires_after(timeouts.exchange);
        auto [wec, wn] = co_await http::async_write(stream, req, net::as_tuple(net::use_awaitable));
        result.sent = true; // part of it may have arrived even on error
        result.sent_at = steady::now();
        if (wec) {
            drop();
            result.failure = failure(net_stage::write, wec, timeouts.exchange);
            co_return result;
        }
        std::optional<http::response_parser<http::string_body>> parser;
        auto rec = co_await read_final(stream, parser, answer_limit);
        if (rec) {
            drop();
            result.failure = failure(net_stage::read, rec, timeouts.exchange);
            result.failure->answer_limit = answer_limit;
            co_return result;
        }
        auto& res = parser->get();
        result.reply.status = static_cast<int>(res.result_int());
        result.reply.body = std::move(res.body());
        for (const auto& field : res)
            result.reply.headers.emplace_back(std::string(field.name_string()),
                                              std::string(field.value()));
        reused = true;
        idle_since = steady::now();
        // Bytes after the answer were not asked for: the connection is out of step.
        if (!res.keep_alive() || buffer.size() != 0)
            drop();
        co_return result;
    }

    // Reads answers until one is final: interim 1xx answers (100 Continue, 103 Early
    // Hints) come before the real one and are skipped.
    template <class Stream>
    net::awaitable<boost::system::error_code>
    read_final(Stream& stream, std::optional<http::response_parser<http::string_body>>& parser,
               std::size_t answer_limit) {
        for (int interim = 0;; ++interim) {
            parser.emplace();
            parser->body_limit(answer_limit);
            auto [ec, n] = co_await http::async_read(stream, buffer, *parser,
                                                     net::as_tuple(net::use_awaitable));
            if (ec)
                co_return ec;
            const auto status = parser->get().result_int();
            if (status < 100 || status > 199)
                co_return ec;
            if (status == 101 || interim == interim_answers_limit)
                co_return make_error_code(net_errc::interim_answers);
        }
    }

    // Whether the open connection may carry the next request. Not when it has been idle past
    // the limit, nor when the peer has closed it or reset it (poll sees the FIN or the RST
    // without reading); and, once it has carried an exchange, not with anything waiting: a
    // byte before the request is written is an answer nobody asked for, and would be taken
    // for the answer to the next request. (A fresh TLS 1.3 connection may hold session
    // tickets: they are read with the first answer.)
    bool usable() {
        if (!open() || steady::now() - idle_since > timeouts.idle)
            return false;
        pollfd peer{tcp().socket().native_handle(), POLLIN | POLLRDHUP, 0};
        if (::poll(&peer, 1, 0) < 0 || (peer.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)))
            return false;
        if (!reused)
            return true;
        if ((peer.revents & POLLIN) || buffer.size() != 0)
            return false;
        return !secure || SSL_pending(secure->native_handle()) == 0;
    }
};

http_session::http_session(net::any_io_executor executor, std::shared_ptr<ssl::context> tls,
                           endpoint where, session_timeouts timeouts,
                           std::shared_ptr<name_lookup> lookup)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(tls), std::move(where), timeouts,
                                   std::move(lookup))) {}

http_session::~http_session() = default;

const endpoint& http_session::where() const {
    return impl_->where;
}
int http_session::connects() const {
    return impl_->connects;
}

net::awaitable<call_result> http_session::open() {
    auto& s = *impl_;
    if (s.open() && !s.usable())
        s.drop();
    call_result result;
    if (!s.open())
        result.failure = co_await s.connect();
    co_return result;
}

net::awaitable<call_result> http_session::call(const http_call& c) {
    auto& s = *impl_;
    // Checked again here: the connection may have died while the caller waited for its turn.
    auto opened = co_await open();
    if (!opened.ok())
        co_return opened;
    http::request<http::string_body> req{http::string_to_verb(c.method), c.target, 11};
    req.set(http::field::host, s.where.host_header);
    req.set(http::field::user_agent, "zprov");
    req.set(http::field::accept, "application/json");
    if (!c.authorization.empty())
        req.set(http::field::authorization, c.authorization);
    if (!c.content_type.empty()) {
        req.set(http::field::content_type, c.content_type);
        req.body() = c.body;
    }
    req.keep_alive(true);
    req.prepare_payload();
    if (s.secure)
        co_return co_await s.exchange(*s.secure, req, c.answer_limit);
    co_return co_await s.exchange(*s.plain, req, c.answer_limit);
}

net::awaitable<void> http_session::close() {
    auto& s = *impl_;
    if (s.secure) {
        s.tcp().expires_after(std::chrono::seconds(2));
        // A peer that closes without close_notify yields stream_truncated: harmless here.
        co_await s.secure->async_shutdown(net::as_tuple(net::use_awaitable));
    }
    s.drop();
}

std::unique_ptr<connection> network_transport::connect(const endpoint& where,
                                                       const session_timeouts& timeouts) {
    return std::make_unique<http_session>(executor_, tls_, where, timeouts);
}

std::string describe_request(const endpoint& where, const http_call& c) {
    std::string out = c.method + " " + c.target + " HTTP/1.1\n";
    out += "Host: " + where.host_header + "\n";
    if (!c.authorization.empty())
        out += "Authorization: [redacted]\n";
    if (!c.content_type.empty())
        out += "Content-Type: " + c.content_type +
               "\nContent-Length: " + std::to_string(c.body.size()) + "\n";
    return out;
}

std::string describe_reply(const http_reply& reply) {
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + "\n";
    for (const auto& [k, v] : reply.headers)
        out += terminal_safe(k) + ": " +
               (iequals(k, "Set-Cookie") ? "[redacted]" : terminal_safe(v)) + "\n";
    return out;
}

} // namespace zprov
