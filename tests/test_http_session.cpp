#include "zprov/http_session.hpp"

#include "sim_fixture.hpp"
#include "zprov/net.hpp"

#include <doctest/doctest.h>

#include <openssl/x509_vfy.h>

using namespace zprov;

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
        answered += r.ok ? 1 : 0;
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

TEST_CASE("http_session: calls in turn reuse one TLS connection (waiting-byte check included)") {
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
