// Where requests go: a parsed base URL ("https://api.zoom.us/v2"). Plain http:// is only
// accepted for loopback hosts (a local stand-in), never for a remote Zoom. Throws
// fatal_error(exit_code::config) for URLs it refuses, naming the option.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zprov {

// An HTTP proxy that connections go through with a CONNECT tunnel (proxy.hpp).
struct proxy_route {
    std::string host;          // without brackets for IPv6
    std::string port;          // "3128"
    std::string authorization; // the Proxy-Authorization value ("Basic ..."), or empty
    std::string name;          // "http://proxy.example.com:3128", never with credentials
};

struct endpoint {
    bool tls = true;
    std::string host;                 // without brackets for IPv6
    std::string port;                 // "443"
    std::string path;                 // "/v2" (no trailing slash; may be empty)
    std::string host_header;          // "api.zoom.us", or "127.0.0.1:8443" for a non-default port
    std::optional<proxy_route> proxy; // set: connections tunnel through it

    std::string target(std::string_view suffix) const { return path + std::string(suffix); }
};

// `option` names the setting in error messages ("--base-url").
endpoint parse_endpoint(std::string_view url, std::string_view option);
bool is_loopback_host(std::string_view host);

std::string base64_encode(std::string_view data);

} // namespace zprov
