#include "zprov/net/endpoint.hpp"

#include "zprov/base/exit_codes.hpp"

#include <charconv>

namespace zprov {

bool is_loopback_host(std::string_view host) {
    if (host == "localhost" || host == "::1")
        return true;
    return host.substr(0, 4) == "127." &&
           host.find_first_not_of("0123456789.") == std::string_view::npos;
}

endpoint parse_endpoint(std::string_view url, std::string_view option) {
    auto fail = [&](const std::string& why) -> endpoint {
        throw fatal_error(exit_code::config,
                          std::string(option) + " " + std::string(url) + ": " + why);
    };
    endpoint e;
    std::string_view rest;
    if (url.substr(0, 8) == "https://") {
        rest = url.substr(8);
    } else if (url.substr(0, 7) == "http://") {
        e.tls = false;
        rest = url.substr(7);
    } else {
        return fail("expected an https:// URL");
    }
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    e.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
    while (!e.path.empty() && e.path.back() == '/')
        e.path.pop_back();
    if (e.path.find_first_of("?#") != std::string::npos)
        return fail("a query or fragment is not allowed");
    if (authority.find('@') != std::string_view::npos)
        return fail("credentials in the URL are not allowed; use the environment");
    std::string_view host, port;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos)
            return fail("unclosed '[' in the host");
        host = authority.substr(1, close - 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return fail("unexpected text after the host");
            port = after.substr(1);
        }
    } else {
        auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos)
            port = authority.substr(colon + 1);
    }
    if (host.empty())
        return fail("no host");
    e.host = host;
    std::string default_port = e.tls ? "443" : "80";
    if (port.empty()) {
        e.port = default_port;
    } else {
        unsigned n = 0;
        auto [end, err] = std::from_chars(port.data(), port.data() + port.size(), n);
        if (err != std::errc{} || end != port.data() + port.size() || n == 0 || n > 65535)
            return fail("bad port");
        e.port = std::string(port);
    }
    if (!e.tls && !is_loopback_host(e.host))
        return fail("plain http:// is only allowed for a loopback host; Zoom needs https://");
    bool ipv6 = e.host.find(':') != std::string::npos;
    e.host_header = ipv6 ? "[" + e.host + "]" : e.host;
    if (e.port != default_port)
        e.host_header += ":" + e.port;
    return e;
}

std::string base64_encode(std::string_view data) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                     (static_cast<unsigned char>(data[i + 1]) << 8) |
                     static_cast<unsigned char>(data[i + 2]);
        out += alphabet[v >> 18];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i < data.size()) {
        unsigned v = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size())
            v |= static_cast<unsigned char>(data[i + 1]) << 8;
        out += alphabet[v >> 18];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < data.size() ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

} // namespace zprov
