// Which outbound HTTP proxy a connection goes through, with curl's rules: `--proxy URL`
// wins; otherwise https_proxy / HTTPS_PROXY for https:// endpoints (http_proxy for a plain
// loopback one); NO_PROXY / no_proxy names hosts that bypass any of them. An empty
// --proxy means no proxy. Loopback hosts are proxied too unless NO_PROXY names them.
// parse_proxy_url and route_through_proxy throw fatal_error(exit_code::config) for a proxy
// URL they refuse, naming where it came from but never its credentials.
#pragma once

#include "zprov/endpoint.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace zprov {

// "http://[user[:password]@]host[:port][/]"; no scheme means http://; the port defaults
// to 1080, as curl's does. The user part is percent-decoded into a Basic authorization.
// `source` names the setting in errors ("--proxy", "HTTPS_PROXY").
proxy_route parse_proxy_url(std::string_view url, std::string_view source);

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
