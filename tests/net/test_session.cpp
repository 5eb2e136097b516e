#include "zprov/net/session.hpp"

#include "support/sim_fixture.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/name_lookup.hpp"

#include <doctest/doctest.h>

#include <openssl/x509_vfy.h>

#include <condition_variable>
#include <functional>
#include <mutex>

using namespace zprov;
using namespace std::chrono_literals;

namespace {
bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Three GETs one after the other, then a polite close. (Named values only: g++ 12
// mis-destroys temporaries in a co_await expression.)
net::awaitable<void> calls_in_turn(http_session& session, std::string target, int& answered) {
    http_call call;
    call.method = "GET";
    call.target = std::move(target);
    call.authorization = "Bearer t";
    for (int i = 0; i < 3; ++i) {
        call_result r = co_await session.call(call);
        answered += r.ok() ? 1 : 0;
    }
    co_await session.close();
}
} // namespace

TEST_CASE(
    "certificate_problem names the cause, and suggests --ca-file only for an unknown issuer") {
    auto mismatch = certificate_problem(X509_V_ERR_HOSTNAME_MISMATCH, "api.zoom.us");
    CHECK(has(mismatch, "not for api.zoom.us"));
    CHECK_FALSE(has(mismatch, "--ca-file"));
    CHECK(
        has(certificate_problem(X509_V_ERR_IP_ADDRESS_MISMATCH, "127.0.0.1"), "not for 127.0.0.1"));

    auto expired = certificate_problem(X509_V_ERR_CERT_HAS_EXPIRED, "api.zoom.us");
    CHECK(has(expired, "expired"));
    CHECK_FALSE(has(expired, "--ca-file"));
    CHECK(has(certificate_problem(X509_V_ERR_CERT_NOT_YET_VALID, "h"), "clock"));

    for (long unknown :
         {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
          X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
          X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE}) {
        CAPTURE(unknown);
        CHECK(has(certificate_problem(unknown, "h"), "--ca-file"));
    }
    auto revoked = certificate_problem(X509_V_ERR_CERT_REVOKED, "h");
    CHECK(has(revoked, "revoked"));
    CHECK_FALSE(has(revoked, "--ca-file"));
}

TEST_CASE("describe_reply: header values from the server cannot reach the terminal raw") {
    http_reply reply;
    reply.status = 503;
    reply.headers = {{"X-Note", "a\x1b]0;title\x07"}};
    auto text = describe_reply(reply);
    CHECK_FALSE(has(text, "\x1b"));
    CHECK(has(text, "X-Note: a\\x1b]0;title\\x07"));
}

TEST_CASE("http_session: calls in turn reuse one TLS connection (waiting-byte check included)" *
          doctest::test_suite("zoomsim")) {
    test::temp_dir dir;
    auto ca = test::make_test_ca(dir.path());
    test::zoomsim_server sim(dir, {"--access-token", "t"}, &ca);
    const auto where = parse_endpoint(sim.base_url(), "--base-url");
    net::io_context io;
    http_session session(io.get_executor(), make_tls_context(ca.ca), where);
    int answered = 0;
    net::co_spawn(io, calls_in_turn(session, where.target("/users/me"), answered), net::detached);
    io.run();
    CHECK(answered == 3);
    CHECK(session.connects() == 1);
}

namespace {
// One GET of `target`, run to its end on `io` (which may have run before); `meanwhile` runs
// once the call waits.
call_result get_once(net::io_context& io, http_session& session, const std::string& target,
                     const std::function<void()>& meanwhile = {}) {
    call_result out;
    auto one = [&]() -> net::awaitable<void> {
        http_call call;
        call.method = "GET";
        call.target = target;
        call.authorization = "Bearer t";
        out = co_await session.call(call);
    };
    io.restart();
    net::co_spawn(io, one(), net::detached);
    if (meanwhile)
        net::post(io, meanwhile);
    io.run();
    return out;
}
} // namespace

TEST_CASE("http_session: a connection the server closed while idle is reopened before the "
          "request is written" *
          doctest::test_suite("zoomsim")) {
    test::temp_dir dir;
    auto ca = test::make_test_ca(dir.path());
    test::zoomsim_server sim(dir, {"--access-token", "t", "--idle-close", "1"}, &ca);
    const auto where = parse_endpoint(sim.base_url(), "--base-url");
    net::io_context io;
    http_session session(io.get_executor(), make_tls_context(ca.ca), where);
    const auto target = where.target("/users/me@example.com");
    auto first = get_once(io, session, target);
    REQUIRE_MESSAGE(first.ok(), first.error());
    // The server closes the connection after 1 s without a request (FIN, no close_notify).
    REQUIRE(test::wait_until([&] { return sim.stats()["connections_closed_idle"] == 1; }, 10s));
    auto second = get_once(io, session, target);
    CHECK_MESSAGE(second.ok(), second.error());
    CHECK(session.connects() == 2);
    // Both requests reached the server once each: none was written on the dead socket.
    CHECK(sim.stats()["status_counts"] == nlohmann::json{{"404", 2}});
}

TEST_CASE("http_session: a connection idle past the limit is reopened, one in use is kept" *
          doctest::test_suite("zoomsim")) {
    test::temp_dir dir;
    auto ca = test::make_test_ca(dir.path());
    test::zoomsim_server sim(dir, {"--access-token", "t"}, &ca);
    const auto where = parse_endpoint(sim.base_url(), "--base-url");
    const auto target = where.target("/users/me@example.com");
    net::io_context io;
    session_timeouts no_idling;
    no_idling.idle = 0ms; // any pause at all is too long
    http_session fresh_each_time(io.get_executor(), make_tls_context(ca.ca), where, no_idling);
    http_session kept(io.get_executor(), make_tls_context(ca.ca), where);
    for (int i = 0; i < 3; ++i) {
        CHECK(get_once(io, fresh_each_time, target).ok());
        CHECK(get_once(io, kept, target).ok());
    }
    CHECK(fresh_each_time.connects() == 3);
    CHECK(kept.connects() == 1);
    CHECK(sim.stats()["connections_total"] == 3 + 1 + 1); // and this stats read's
}

namespace {
// A name service that answers only when released: the lookup's thread blocks until then.
struct held_lookup {
    std::mutex mutex;
    std::condition_variable released_cv;
    bool released = false;
    int calls = 0;

    lookup_answer answer(const std::string&, const std::string&) {
        std::unique_lock lock(mutex);
        ++calls;
        released_cv.wait(lock, [this] { return released; });
        return {net::error::host_not_found, {}};
    }
    void release() {
        std::lock_guard lock(mutex);
        released = true;
        released_cv.notify_all();
    }
};
} // namespace

TEST_CASE("http_session: a host name lookup that does not answer times out, and the run's "
          "io_context is not held by it") {
    auto held = std::make_shared<held_lookup>();
    auto lookup =
        std::make_shared<name_lookup>([held](const std::string& host, const std::string& port) {
            return held->answer(host, port);
        });
    session_timeouts quick;
    quick.resolve = 500ms;
    net::io_context io;
    http_session session(io.get_executor(), make_tls_context(""),
                         parse_endpoint("https://zoom.example.invalid/v2", "--base-url"), quick,
                         lookup);
    const auto start = std::chrono::steady_clock::now();
    auto timed_out = get_once(io, session, "/v2/users/me");
    // io.run() has returned although the lookup still blocks on its own thread.
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    REQUIRE_FALSE(timed_out.ok());
    CHECK(timed_out.failure->stage == net_stage::resolve);
    CHECK(timed_out.failure->timed_out());
    CHECK_FALSE(timed_out.sent);
    CHECK(timed_out.error() ==
          "cannot resolve zoom.example.invalid: no answer from the name service within 500 ms");
    // The next try waits for the same lookup rather than starting another, and is woken
    // when it answers.
    auto answered = get_once(io, session, "/v2/users/me", [held] { held->release(); });
    REQUIRE_FALSE(answered.ok());
    CHECK(answered.failure->stage == net_stage::resolve);
    CHECK_FALSE(answered.failure->timed_out());
    CHECK(answered.failure->code == net::error::host_not_found);
    std::lock_guard lock(held->mutex);
    CHECK(held->calls == 1);
}

TEST_CASE("transport_error: each stage in words, from the code and the facts it carries") {
    auto error = [](net_stage stage, boost::system::error_code code) {
        transport_error e;
        e.stage = stage;
        e.code = code;
        e.peer = "api.zoom.us";
        e.host = "api.zoom.us";
        e.limit = 30s;
        return e;
    };
    CHECK(error(net_stage::read, beast::error::timeout).message() ==
          "no answer from api.zoom.us within 30 s");
    CHECK(has(error(net_stage::read, http::error::end_of_stream).message(),
              "api.zoom.us closed the connection without answering"));
    CHECK(has(error(net_stage::connect, net::error::connection_refused).message(),
              "cannot connect to api.zoom.us: "));
    CHECK(has(error(net_stage::write, net::error::broken_pipe).message(),
              "sending to api.zoom.us failed: "));
    auto refused = error(net_stage::handshake, net_errc::certificate_refused);
    refused.verify_result = X509_V_ERR_HOSTNAME_MISMATCH;
    CHECK(refused.certificate_refused());
    CHECK(has(refused.message(), "TLS handshake with api.zoom.us failed: certificate refused: "
                                 "the certificate is not for api.zoom.us"));
    auto proxy = error(net_stage::proxy, net_errc::proxy_credentials_refused);
    proxy.peer = "proxy http://proxy:3128";
    CHECK(proxy.proxy_refused());
    CHECK(has(proxy.message(), "the proxy http://proxy:3128 refused the credentials (HTTP 407): "
                               "give them in HTTPS_PROXY"));
    proxy.code = net_errc::proxy_tunnel_refused;
    proxy.host = "api.zoom.us:443";
    proxy.proxy_status = 403;
    proxy.proxy_reason = "Forbidden\x1b[2J";
    CHECK_FALSE(proxy.proxy_refused());
    CHECK(proxy.message() ==
          "the proxy http://proxy:3128 refused the tunnel to api.zoom.us:443: HTTP 403 "
          "Forbidden\\x1b[2J");
    CHECK(stage_name(net_stage::handshake) == "handshake");
}
