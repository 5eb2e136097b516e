#include "zprov/http_session.hpp"

#include "zprov/exit_codes.hpp"
#include "zprov/net.hpp"
#include "zprov/text.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <optional>

namespace zprov {

namespace {
constexpr std::size_t response_body_limit = 64 * 1024;
// Interim (1xx) answers skipped before the real one; more means a broken server.
constexpr int interim_answers_limit = 8;

bool unknown_issuer(long verify_result) {
    switch (verify_result) {
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return true;
    default:
        return false;
    }
}
} // namespace

std::string certificate_problem(long verify_result, const std::string& host) {
    switch (verify_result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return "the certificate is not for " + host + " (check the URL's host name)";
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return "the certificate has expired (or this machine's clock is wrong)";
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return "the certificate is not valid yet (is this machine's clock right?)";
    default:
        break;
    }
    std::string why = X509_verify_cert_error_string(verify_result);
    if (unknown_issuer(verify_result))
        why += " (an unknown issuer: a private CA? pass it with --ca-file)";
    return why;
}

std::shared_ptr<ssl::context> make_tls_context(const std::string& ca_file) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_verify_mode(ssl::verify_peer);
    ctx->set_default_verify_paths();
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
    impl(net::any_io_executor ex, std::shared_ptr<ssl::context> ctx, endpoint e, session_timeouts t)
        : executor(std::move(ex)), tls(std::move(ctx)), where(std::move(e)), timeouts(t),
          resolver(executor) {}

    net::any_io_executor executor;
    std::shared_ptr<ssl::context> tls;
    endpoint where;
    session_timeouts timeouts;
    net::ip::tcp::resolver resolver;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    std::optional<beast::tcp_stream> plain;
    beast::flat_buffer buffer;
    int connects = 0;
    bool reused = false; // the open connection has carried an exchange

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

    // Connects (through the proxy, if any) and handshakes; returns an error text, empty on
    // success.
    net::awaitable<std::string> connect(call_result& result) {
        const bool proxied = where.proxy.has_value();
        // Named, not temporaries: g++ 12 mis-destroys temporaries inside a co_await.
        const std::string& host = proxied ? where.proxy->host : where.host;
        const std::string& port = proxied ? where.proxy->port : where.port;
        const std::string name = proxied ? "proxy " + where.proxy->name : where.host_header;
        auto error = co_await open_tcp(host, port, name);
        if (error.empty() && proxied)
            error = co_await tunnel(result);
        if (error.empty() && where.tls)
            error = co_await handshake(result);
        if (!error.empty())
            drop();
        co_return error;
    }

    net::awaitable<std::string> open_tcp(const std::string& host, const std::string& port,
                                         const std::string& name) {
        // A named tuple: g++ 12 mis-destroys a non-trivial value bound straight from co_await.
        std::tuple<boost::system::error_code, net::ip::tcp::resolver::results_type> resolved =
            co_await resolver.async_resolve(host, port, net::as_tuple(net::use_awaitable));
        const auto& [rec, results] = resolved;
        if (rec)
            co_return "cannot resolve " + name + ": " + rec.message();
        if (where.tls)
            secure.emplace(executor, *tls);
        else
            plain.emplace(executor);
        tcp().expires_after(timeouts.connect);
        auto [cec, ep] = co_await tcp().async_connect(results, net::as_tuple(net::use_awaitable));
        if (cec)
            co_return "cannot connect to " + name + ": " + cec.message();
        tcp().socket().set_option(net::ip::tcp::no_delay(true));
        ++connects;
        co_return std::string{};
    }

    // "api.zoom.us:443": what a CONNECT asks for.
    std::string authority() const {
        const bool ipv6 = where.host.find(':') != std::string::npos;
        return (ipv6 ? "[" + where.host + "]" : where.host) + ":" + where.port;
    }

    // Asks the proxy for a tunnel to the endpoint. Its credentials go in the request only.
    net::awaitable<std::string> tunnel(call_result& result) {
        const auto& proxy = *where.proxy;
        http::request<http::empty_body> req{http::verb::connect, authority(), 11};
        req.set(http::field::host, authority());
        req.set(http::field::user_agent, "zprov");
        if (!proxy.authorization.empty())
            req.set(http::field::proxy_authorization, proxy.authorization);
        tcp().expires_after(timeouts.connect);
        auto [wec, wn] = co_await http::async_write(tcp(), req, net::as_tuple(net::use_awaitable));
        if (wec)
            co_return "proxy " + proxy.name + ": sending CONNECT failed: " + wec.message();
        http::response_parser<http::empty_body> parser;
        parser.skip(true); // the tunnel, not a body, follows the answer's header
        auto [rec, rn] = co_await http::async_read_header(tcp(), buffer, parser,
                                                          net::as_tuple(net::use_awaitable));
        if (rec)
            co_return "proxy " + proxy.name + " did not answer CONNECT: " + rec.message();
        const auto status = parser.get().result_int();
        if (status == 407) {
            result.proxy_refused = true;
            co_return "the proxy " + proxy.name + " refused the credentials (HTTP 407)" +
                (proxy.authorization.empty()
                     ? ": give them in the proxy URL (http://user:password@host:port)"
                     : "");
        }
        if (status / 100 != 2)
            co_return "the proxy " + proxy.name + " refused the tunnel to " + authority() +
                ": HTTP " + std::to_string(status) + " " +
                terminal_safe(std::string(parser.get().reason()));
        if (buffer.size() != 0) // the server speaks after the client's hello, never before
            co_return "proxy " + proxy.name + ": unexpected bytes after its CONNECT answer";
        co_return std::string{};
    }

    net::awaitable<std::string> handshake(call_result& result) {
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
            co_return std::string{};
        std::string why = hec.message();
        long verify = SSL_get_verify_result(secure->native_handle());
        if (verify != X509_V_OK) {
            result.certificate_refused = true;
            why = "certificate refused: " + certificate_problem(verify, where.host);
        }
        co_return "TLS handshake with " + where.host_header + " failed: " + why;
    }

    template <class Stream>
    net::awaitable<call_result> exchange(Stream& stream, http::request<http::string_body>& req) {
        call_result result;
        tcp().expires_after(timeouts.exchange);
        auto [wec, wn] = co_await http::async_write(stream, req, net::as_tuple(net::use_awaitable));
        result.sent = true; // part of it may have arrived even on error
        result.sent_at = std::chrono::steady_clock::now();
        if (wec) {
            drop();
            result.error = "sending to " + where.host_header + " failed: " + wec.message();
            co_return result;
        }
        std::optional<http::response_parser<http::string_body>> parser;
        auto rec = co_await read_final(stream, parser);
        if (rec) {
            drop();
            result.error =
                rec == beast::error::timeout
                    ? "no answer from " + where.host_header + " within " +
                          std::to_string(timeouts.exchange.count() / 1000) + " s"
                    : "reading the answer from " + where.host_header + " failed: " + rec.message();
            co_return result;
        }
        auto& res = parser->get();
        result.ok = true;
        result.reply.status = static_cast<int>(res.result_int());
        result.reply.body = std::move(res.body());
        for (const auto& field : res)
            result.reply.headers.emplace_back(std::string(field.name_string()),
                                              std::string(field.value()));
        // Bytes after the answer were not asked for: the connection is out of step.
        reused = true;
        if (!res.keep_alive() || buffer.size() != 0)
            drop();
        co_return result;
    }

    // Reads answers until one is final: interim 1xx answers (100 Continue, 103 Early
    // Hints) come before the real one and are skipped.
    template <class Stream>
    net::awaitable<boost::system::error_code>
    read_final(Stream& stream, std::optional<http::response_parser<http::string_body>>& parser) {
        for (int interim = 0;; ++interim) {
            parser.emplace();
            parser->body_limit(response_body_limit);
            auto [ec, n] = co_await http::async_read(stream, buffer, *parser,
                                                     net::as_tuple(net::use_awaitable));
            if (ec)
                co_return ec;
            const auto status = parser->get().result_int();
            if (status < 100 || status > 199)
                co_return ec;
            if (status == 101 || interim == interim_answers_limit)
                co_return http::error::bad_status;
        }
    }

    // A reused connection must have nothing waiting: a byte before the request is written
    // is an answer nobody asked for (or the server closing), and would be taken for the
    // answer to the next request. (A fresh TLS 1.3 connection may hold session tickets:
    // they are read with the first answer.)
    bool clean() {
        if (!open() || !reused)
            return true;
        boost::system::error_code ec;
        const auto waiting = tcp().socket().available(ec);
        if (ec || waiting != 0 || buffer.size() != 0)
            return false;
        return !secure || SSL_pending(secure->native_handle()) == 0;
    }
};

http_session::http_session(net::any_io_executor executor, std::shared_ptr<ssl::context> tls,
                           endpoint where, session_timeouts timeouts)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(tls), std::move(where),
                                   timeouts)) {}

http_session::~http_session() = default;

const endpoint& http_session::where() const {
    return impl_->where;
}
int http_session::connects() const {
    return impl_->connects;
}

net::awaitable<call_result> http_session::open() {
    auto& s = *impl_;
    call_result result;
    if (!s.open())
        result.error = co_await s.connect(result);
    result.ok = result.error.empty();
    co_return result;
}

net::awaitable<call_result> http_session::call(const http_call& c) {
    auto& s = *impl_;
    if (!s.clean())
        s.drop();
    if (!s.open()) {
        auto opened = co_await open();
        if (!opened.ok)
            co_return opened;
    }
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
        co_return co_await s.exchange(*s.secure, req);
    co_return co_await s.exchange(*s.plain, req);
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
