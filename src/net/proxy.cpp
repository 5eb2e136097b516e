#include "zprov/net/proxy.hpp"

#include "zprov/base/exit_codes.hpp"

#include <charconv>
#include <cstdlib>

namespace zprov {

namespace {

constexpr std::string_view default_proxy_port = "1080";

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percent_decoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size())
            return std::nullopt;
        const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// "host[:port]" or "[v6]:port" into host and port; false when malformed.
bool split_authority(std::string_view authority, std::string& host, std::string& port) {
    std::string_view h = authority, p;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return false;
        h = authority.substr(1, close - 1);
        const auto after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return false;
        p = after.empty() ? after : after.substr(1);
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        h = authority.substr(0, colon);
        p = authority.substr(colon + 1);
    }
    // A host name or an IPv4 address, or an IPv6 address in brackets: nothing else.
    const bool bracketed = !authority.empty() && authority.front() == '[';
    const std::string_view host_chars =
        bracketed ? "0123456789abcdefABCDEF:."
                  : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";
    if (h.empty() || h.find_first_not_of(host_chars) != std::string_view::npos)
        return false;
    unsigned n = 0;
    if (!p.empty()) {
        auto [end, err] = std::from_chars(p.data(), p.data() + p.size(), n);
        if (err != std::errc{} || end != p.data() + p.size() || n == 0 || n > 65535)
            return false;
    }
    host = std::string(h);
    port = p.empty() ? std::string(default_proxy_port) : std::string(p);
    return !host.empty();
}

// The proxy variable curl would read for this endpoint: lower case first.
std::optional<std::string>
proxy_variable(const endpoint& where, const environment_reader& environment, std::string& source) {
    const char* names[] = {"https_proxy", "HTTPS_PROXY"};
    if (!where.tls) {
        source = "http_proxy"; // curl reads no HTTP_PROXY: a CGI's request could set it
        return environment("http_proxy");
    }
    for (const char* name : names)
        if (auto value = environment(name); value && !value->empty()) {
            source = name;
            return value;
        }
    return std::nullopt;
}

} // namespace

std::optional<text_span> proxy_user_info(std::string_view url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string_view::npos ? 0 : scheme + 3;
    const auto at = url.rfind('@');
    if (at == std::string_view::npos || at < start)
        return std::nullopt;
    return text_span{start, at - start};
}

bool proxy_has_password(std::string_view url) {
    auto span = proxy_user_info(url);
    return span && url.substr(span->offset, span->length).find(':') != std::string_view::npos;
}

std::string redacted_proxy_url(std::string_view url) {
    std::string out(url);
    if (auto span = proxy_user_info(url))
        out.replace(span->offset, span->length, "***");
    return out;
}

proxy_route parse_proxy_url(std::string_view url, std::string_view source) {
    std::string_view rest = url;
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
        if (lower(rest.substr(0, scheme)) != "http")
            throw fatal_error(exit_code::config,
                              std::string(source) + ": only http:// proxies are supported (" +
                                  std::string(rest.substr(0, scheme)) + ":// is not)");
        rest.remove_prefix(scheme + 3);
    }
    proxy_route route;
    const auto user_info = proxy_user_info(rest);
    if (user_info) {
        const auto text = rest.substr(user_info->offset, user_info->length);
        const auto colon = text.find(':');
        auto user = percent_decoded(text.substr(0, colon));
        auto password = percent_decoded(colon == std::string_view::npos ? std::string_view{}
                                                                        : text.substr(colon + 1));
        if (!user || !password)
            throw fatal_error(exit_code::config,
                              std::string(source) + ": bad %-escape in the proxy's user part");
        route.authorization = "Basic " + base64_encode(*user + ":" + *password);
        rest.remove_prefix(user_info->length + 1);
    }
    const auto authority = rest.substr(0, rest.find('/'));
    if (!split_authority(authority, route.host, route.port))
        throw fatal_error(exit_code::config, std::string(source) + ": not a proxy URL: http://" +
                                                 (user_info ? "***@" : "") +
                                                 std::string(authority) +
                                                 " (expected http://[user:password@]host[:port])");
    const bool ipv6 = route.host.find(':') != std::string::npos;
    route.name = "http://" + (ipv6 ? "[" + route.host + "]" : route.host) + ":" + route.port;
    return route;
}

bool bypasses_proxy(std::string_view no_proxy, std::string_view host) {
    const auto name = lower(host);
    while (!no_proxy.empty()) {
        const auto comma = no_proxy.find(',');
        auto entry = trimmed(no_proxy.substr(0, comma));
        no_proxy =
            comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
        if (entry == "*")
            return true;
        if (entry.size() > 1 && entry.front() == '[' && entry.back() == ']')
            entry = entry.substr(1, entry.size() - 2);
        while (!entry.empty() && entry.front() == '.')
            entry.remove_prefix(1);
        if (entry.empty())
            continue;
        const auto pattern = lower(entry);
        if (name == pattern)
            return true;
        if (name.size() > pattern.size() && name.ends_with(pattern) &&
            name[name.size() - pattern.size() - 1] == '.')
            return true;
    }
    return false;
}

std::optional<std::string> process_environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::optional<std::string>(value) : std::nullopt;
}

endpoint route_through_proxy(endpoint where, const std::optional<std::string>& proxy_option,
                             const environment_reader& environment) {
    std::string source = "--proxy";
    auto url = proxy_option ? proxy_option : proxy_variable(where, environment, source);
    if (!url || url->empty())
        return where;
    auto no_proxy = environment("no_proxy");
    if (!no_proxy || no_proxy->empty())
        no_proxy = environment("NO_PROXY");
    if (no_proxy && bypasses_proxy(*no_proxy, where.host))
        return where;
    where.proxy = parse_proxy_url(*url, source);
    return where;
}

} // namespace zprov
