#include "zprov/net/endpoint.hpp"

#include "zprov/base/exit_codes.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("endpoint: Zoom's URLs and local stand-ins") {
    auto zoom = parse_endpoint("https://api.zoom.us/v2", "--base-url");
    CHECK(zoom.tls);
    CHECK(zoom.host == "api.zoom.us");
    CHECK(zoom.port == "443");
    CHECK(zoom.target("/users") == "/v2/users");
    CHECK(zoom.host_header == "api.zoom.us");
    auto local = parse_endpoint("https://127.0.0.1:8443/v2/", "--base-url");
    CHECK(local.port == "8443");
    CHECK(local.path == "/v2");
    CHECK(local.host_header == "127.0.0.1:8443");
    auto v6 = parse_endpoint("http://[::1]:9000", "--base-url");
    CHECK_FALSE(v6.tls);
    CHECK(v6.host == "::1");
    CHECK(v6.host_header == "[::1]:9000");
    CHECK(parse_endpoint("http://localhost:1234/v2", "--base-url").target("/users") == "/v2/users");
}

TEST_CASE("endpoint: plain http is refused unless the host is loopback") {
    try {
        parse_endpoint("http://api.zoom.us/v2", "--base-url");
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::config);
        CHECK(std::string(e.what()).find("--base-url http://api.zoom.us/v2: plain http://") == 0);
    }
    CHECK_THROWS_AS(parse_endpoint("http://10.0.0.5/v2", "--base-url"), fatal_error);
    CHECK_THROWS_AS(parse_endpoint("ftp://x/v2", "--base-url"), fatal_error);
    CHECK_THROWS_AS(parse_endpoint("https://user:pw@api.zoom.us/v2", "--base-url"), fatal_error);
    CHECK_THROWS_AS(parse_endpoint("https://api.zoom.us:99999/v2", "--base-url"), fatal_error);
    CHECK(is_loopback_host("127.0.0.1"));
    CHECK(is_loopback_host("127.1.2.3"));
    CHECK_FALSE(is_loopback_host("127.evil.com"));
}

TEST_CASE("base64") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("id:secret") == "aWQ6c2VjcmV0");
}
