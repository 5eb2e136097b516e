// Transport failures in words: the one place where a stage and an error code become the text
// users read in messages and the journal.
#include "zprov/net/session.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"

#include <openssl/x509_vfy.h>

namespace zprov {

namespace {
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

class net_error_category : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "zprov.net"; }
    std::string message(int value) const override {
        switch (static_cast<net_errc>(value)) {
        case net_errc::proxy_credentials_refused:
            return "the proxy refused the credentials";
        case net_errc::proxy_tunnel_refused:
            return "the proxy refused the tunnel";
        case net_errc::proxy_spoke_first:
            return "unexpected bytes after the proxy's CONNECT answer";
        case net_errc::certificate_refused:
            return "certificate refused";
        case net_errc::interim_answers:
            return "no final answer after the interim (1xx) ones";
        case net_errc::not_sent:
            return "not sent";
        }
        return "unknown transport error";
    }
};

// " within 10 s" when a timeout ran out.
std::string within(std::chrono::milliseconds limit) {
    const auto ms = limit.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

std::string proxy_message(const transport_error& e) {
    if (e.code == net_errc::proxy_credentials_refused)
        return "the " + e.peer + " refused the credentials (HTTP 407)" +
               (e.proxy_credentials
                    ? ""
                    : ": give them in HTTPS_PROXY (http://user:password@host:port)");
    if (e.code == net_errc::proxy_tunnel_refused)
        return "the " + e.peer + " refused the tunnel to " + e.host + ": HTTP " +
               std::to_string(e.proxy_status) + " " + terminal_safe(e.proxy_reason);
    if (e.code == net_errc::proxy_spoke_first)
        return e.peer + ": unexpected bytes after its CONNECT answer";
    if (e.timed_out())
        return e.peer + " did not answer CONNECT within " + within(e.limit);
    return "the tunnel through " + e.peer + " failed: " + e.code.message();
}

std::string handshake_message(const transport_error& e) {
    std::string why = e.timed_out() ? "no answer within " + within(e.limit) : e.code.message();
    if (e.certificate_refused())
        why = "certificate refused: " + certificate_problem(e.verify_result, e.host);
    return "TLS handshake with " + e.peer + " failed: " + why;
}

std::string read_message(const transport_error& e) {
    if (e.answer_too_large())
        return "the answer from " + e.peer + " is larger than " +
               std::to_string(e.answer_limit / 1024) +
               " KiB, the most zprov reads for this call; the same call gets the same answer "
               "on every run: report it";
    if (e.timed_out())
        return "no answer from " + e.peer + " within " + within(e.limit);
    if (e.code == http::error::end_of_stream || e.code == net::error::eof ||
        e.code == ssl::error::stream_truncated || e.code == net::error::connection_reset)
        return e.peer + " closed the connection without answering (" + e.code.message() + ")";
    return "reading the answer from " + e.peer + " failed: " + e.code.message();
}
} // namespace

const boost::system::error_category& net_category() {
    static const net_error_category category;
    return category;
}

boost::system::error_code make_error_code(net_errc e) {
    return {static_cast<int>(e), net_category()};
}

std::string_view stage_name(net_stage stage) {
    switch (stage) {
    case net_stage::resolve:
        return "resolve";
    case net_stage::connect:
        return "connect";
    case net_stage::proxy:
        return "proxy";
    case net_stage::handshake:
        return "handshake";
    case net_stage::write:
        return "write";
    case net_stage::read:
        return "read";
    }
    return "unknown";
}

bool transport_error::answer_too_large() const {
    return stage == net_stage::read && code == http::error::body_limit;
}

bool transport_error::timed_out() const {
    return code == beast::error::timeout || code == net::error::timed_out;
}

std::string transport_error::message() const {
    switch (stage) {
    case net_stage::resolve:
        return "cannot resolve " + peer + ": " +
               (timed_out() ? "no answer from the name service within " + within(limit)
                            : code.message());
    case net_stage::connect:
        return "cannot connect to " + peer + ": " +
               (timed_out() ? "no answer within " + within(limit) : code.message());
    case net_stage::proxy:
        return proxy_message(*this);
    case net_stage::handshake:
        return handshake_message(*this);
    case net_stage::write:
        if (code == net_errc::not_sent)
            return "not sent to " + peer;
        return "sending to " + peer +
               " failed: " + (timed_out() ? "no progress within " + within(limit) : code.message());
    case net_stage::read:
        return read_message(*this);
    }
    return code.message();
}

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

} // namespace zprov
