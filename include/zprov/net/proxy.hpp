// Which outbound HTTP proxy a connection goes through, with curl's rules: `--proxy URL`
// wins; otherwise https_proxy / HTTPS_PROXY for https:// endpoints (http_proxy for a plain
// loopback one); NO_PROXY / no_proxy names hosts that bypass any of them. An empty
// --proxy means no proxy. Loopback hosts are proxied too unless NO_PROXY names them.
// parse_proxy_url and route_through_proxy throw fatal_error(exit_code::config) for a proxy
// URL they refuse, naming where it came from but never its credentials.
#pragma once

#include "zprov/net/endpoint.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace zprov {

// "http://[user[:password]@]host[:port][/]"; no scheme means http://; the port defaults
// to 1080, as curl's does. The user part is percent-decoded into a Basic authorization; it
// ends at the last '@', so that a password typed with '/' or '@' in it is read whole. The
// host is a name, an IPv4 address or a bracketed IPv6 address. `source` names the setting in
// errors ("--proxy", "HTTPS_PROXY"), which never show the user part.
proxy_route parse_proxy_url(std::string_view url, std::string_view source);

// Where the user part ("user:password") of a proxy URL is in `url`: its offset and length;
// std::nullopt when there is none.
struct text_span {
    std::size_t offset = 0, length = 0;
};
std::optional<text_span> proxy_user_info(std::string_view url);
// Whether the URL's user part holds a password.
bool proxy_has_password(std::string_view url);
// `url` with its user part, if any, written as "***": what may be shown of it.
std::string redacted_proxy_url(std::string_view url);

// Whether a NO_PROXY list (comma-separated; "*" is every host; a name also matches its
// subdomains, a leading dot ignored; IP addresses match exactly) names `host`.
bool bypasses_proxy(std::string_view no_proxy, std::string_view host);

// Reads an environment variable; std::nullopt when unset.
using environment_reader = std::function<std::optional<std::string>(const char*)>;
std::optional<std::string> process_environment(const char* name);

// `where` with the proxy it must go through (if any) set.
endpoint route_through_proxy(endpoint where, const std::optional<std::string>& proxy_option,
                             const environment_reader& environment = process_environment);

} // namespace zprov
