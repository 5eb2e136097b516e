#include "zprov/net/proxy.hpp"

#include "zprov/base/exit_codes.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace zprov;

namespace {
environment_reader env_of(std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional(it->second);
    };
}

endpoint zoom() {
    return parse_endpoint("https://api.zoom.us/v2", "--base-url");
}
} // namespace

TEST_CASE("proxy URL: scheme, default port, credentials decoded into Basic, name without them") {
    auto p = parse_proxy_url("http://alice:p%40ss@proxy.corp:3128/", "--proxy");
    CHECK(p.host == "proxy.corp");
    CHECK(p.port == "3128");
    CHECK(p.authorization == "Basic " + base64_encode("alice:p@ss"));
    CHECK(p.name == "http://proxy.corp:3128");
    auto bare = parse_proxy_url("proxy.corp", "HTTPS_PROXY");
    CHECK(bare.port == "1080");
    CHECK(bare.authorization.empty());
    CHECK(parse_proxy_url("http://[::1]:8080", "--proxy").name == "http://[::1]:8080");
    CHECK_THROWS_AS(parse_proxy_url("https://proxy.corp", "--proxy"), fatal_error);
    CHECK_THROWS_AS(parse_proxy_url("http://proxy.corp:0", "--proxy"), fatal_error);
    try {
        parse_proxy_url("http://bob:hunter2@:99999", "HTTPS_PROXY");
        FAIL("accepted");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::config);
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
    }
}

TEST_CASE("NO_PROXY: curl's matching - names, subdomains, leading dots, '*', IPs") {
    CHECK(bypasses_proxy("zoom.us", "api.zoom.us"));
    CHECK(bypasses_proxy(".zoom.us", "api.zoom.us"));
    CHECK(bypasses_proxy(".zoom.us", "zoom.us"));
    CHECK(bypasses_proxy("example.com, API.Zoom.US ", "api.zoom.us"));
    CHECK_FALSE(bypasses_proxy("oom.us", "api.zoom.us"));
    CHECK_FALSE(bypasses_proxy("", "api.zoom.us"));
    CHECK(bypasses_proxy("*", "api.zoom.us"));
    CHECK(bypasses_proxy("127.0.0.1", "127.0.0.1"));
    CHECK_FALSE(bypasses_proxy("127.0.0.1", "127.0.0.10"));
    CHECK(bypasses_proxy("[::1]", "::1"));
}

TEST_CASE("proxy choice: --proxy wins, lower case first, NO_PROXY applies, loopback proxied") {
    auto e = route_through_proxy(zoom(), std::nullopt, env_of({}));
    CHECK_FALSE(e.proxy);
    e = route_through_proxy(
        zoom(), std::nullopt,
        env_of({{"HTTPS_PROXY", "http://upper:1"}, {"https_proxy", "lower:2"}}));
    REQUIRE(e.proxy);
    CHECK(e.proxy->host == "lower");
    e = route_through_proxy(zoom(), "http://option:3", env_of({{"HTTPS_PROXY", "upper:1"}}));
    CHECK(e.proxy->host == "option");
    e = route_through_proxy(zoom(), "", env_of({{"HTTPS_PROXY", "upper:1"}}));
    CHECK_FALSE(e.proxy);
    e = route_through_proxy(zoom(), "option:3", env_of({{"NO_PROXY", "zoom.us"}}));
    CHECK_FALSE(e.proxy);
    auto local = parse_endpoint("https://127.0.0.1:8443/v2", "--base-url");
    CHECK(route_through_proxy(local, std::nullopt, env_of({{"HTTPS_PROXY", "p:1"}})).proxy);
    CHECK_FALSE(route_through_proxy(local, std::nullopt,
                                    env_of({{"HTTPS_PROXY", "p:1"}, {"no_proxy", "127.0.0.1"}}))
                    .proxy);
    auto plain = parse_endpoint("http://127.0.0.1:8080/v2", "--base-url");
    CHECK_FALSE(route_through_proxy(plain, std::nullopt, env_of({{"HTTPS_PROXY", "p:1"}})).proxy);
    CHECK(route_through_proxy(plain, std::nullopt, env_of({{"http_proxy", "p:1"}})).proxy);
}
