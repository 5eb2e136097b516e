// Unit tests of zoomsim's request text decoding: percent-encoding, urlencoded forms,
// header parameters, multipart/form-data as curl and Postman send it, Basic and Bearer.
#include "zoomsim/form.hpp"

#include <doctest/doctest.h>

using namespace zoomsim;

TEST_CASE("zoomsim form: percent-decoding and urlencoded fields") {
    CHECK(percent_decode("ann%40example.com", false) == "ann@example.com");
    CHECK(percent_decode("a+b", false) == "a+b");
    CHECK(percent_decode("a+b%2Bc", true) == "a b+c");
    CHECK_FALSE(percent_decode("bad%4", false));
    CHECK_FALSE(percent_decode("bad%zz", false));

    auto fields = parse_urlencoded("grant_type=account_credentials&account_id=abc%3D&&flag");
    REQUIRE(fields);
    CHECK(find_field(*fields, "grant_type") == "account_credentials");
    CHECK(find_field(*fields, "account_id") == "abc=");
    CHECK(find_field(*fields, "flag") == "");
    CHECK_FALSE(find_field(*fields, "missing"));
    CHECK(parse_urlencoded("")->empty());
}

TEST_CASE("zoomsim form: media types and header parameters") {
    CHECK(media_type("Multipart/Form-Data; boundary=xyz") == "multipart/form-data");
    CHECK(media_type("application/json") == "application/json");
    CHECK(media_type("") == "");
    CHECK(header_parameter("multipart/form-data; boundary=xyz", "boundary") == "xyz");
    CHECK(header_parameter("multipart/form-data; Boundary=\"a;b c\"", "boundary") == "a;b c");
    CHECK(header_parameter("form-data; name=\"user_info\"; filename=\"x\"", "name") == "user_info");
    CHECK_FALSE(header_parameter("multipart/form-data", "boundary"));
}

TEST_CASE("zoomsim form: multipart bodies as curl --form sends them") {
    const std::string boundary = "------------------------d74496d66958873e";
    const std::string body = "--" + boundary +
                             "\r\n"
                             "Content-Disposition: form-data; name=\"action\"\r\n"
                             "\r\n"
                             "ssoCreate\r\n"
                             "--" +
                             boundary +
                             "\r\n"
                             "Content-Disposition: form-data; name=\"user_info\"\r\n"
                             "Content-Type: application/json\r\n"
                             "\r\n"
                             "{\"email\":\"a@b.co\",\r\n\"type\":1}\r\n"
                             "--" +
                             boundary + "--\r\n";
    auto fields = parse_multipart(body, boundary);
    REQUIRE(fields);
    REQUIRE(fields->size() == 2);
    CHECK(find_field(*fields, "action") == "ssoCreate");
    CHECK(find_field(*fields, "user_info") == "{\"email\":\"a@b.co\",\r\n\"type\":1}");
    // A boundary that is not the body's finds no parts.
    CHECK_FALSE(parse_multipart(body, "other"));
}

TEST_CASE("zoomsim form: multipart with a preamble, an empty value and an epilogue") {
    const std::string body = "ignored preamble\r\n--XyZ\r\n"
                             "content-disposition: form-data; name=empty\r\n\r\n"
                             "\r\n--XyZ--\r\nepilogue";
    auto fields = parse_multipart(body, "XyZ");
    REQUIRE(fields);
    CHECK(find_field(*fields, "empty") == "");
}

TEST_CASE("zoomsim form: malformed multipart bodies are refused") {
    CHECK_FALSE(parse_multipart("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx", "b"));
    CHECK_FALSE(parse_multipart("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b"));
    CHECK_FALSE(parse_multipart("no delimiter at all", "b"));
    CHECK_FALSE(parse_multipart("x--b\r\n", "b"));
    CHECK_FALSE(parse_multipart("--b\r\n", ""));
    CHECK(parse_multipart("--b--", "b")->empty());
}

TEST_CASE("zoomsim form: base64, Basic and Bearer credentials") {
    CHECK(base64_decode("aWQ6c2VjcmV0") == "id:secret");
    CHECK(base64_decode("YQ==") == "a");
    CHECK(base64_decode("YWI=") == "ab");
    CHECK_FALSE(base64_decode("a"));
    CHECK_FALSE(base64_decode("YW*="));

    auto credentials = basic_auth("Basic aWQ6c2VjcmV0");
    REQUIRE(credentials);
    CHECK(credentials->user == "id");
    CHECK(credentials->password == "secret");
    CHECK(basic_auth("basic aWQ6c2VjcmV0"));
    CHECK_FALSE(basic_auth("Bearer aWQ6c2VjcmV0"));
    CHECK_FALSE(basic_auth("Basic bm9jb2xvbg==")); // "nocolon"

    CHECK(bearer_token("Bearer abc.def") == "abc.def");
    CHECK(bearer_token("bearer   abc ") == "abc");
    CHECK_FALSE(bearer_token("Bearer "));
    CHECK_FALSE(bearer_token("Basic abc"));
    CHECK_FALSE(bearer_token(""));
}
