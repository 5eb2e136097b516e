#include "zprov/http_session.hpp"

#include <doctest/doctest.h>

#include <openssl/x509_vfy.h>

using namespace zprov;

namespace {
bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
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
