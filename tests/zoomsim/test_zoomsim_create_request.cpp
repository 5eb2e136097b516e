// Unit tests of POST /v2/users body reading and validation: JSON and multipart bodies,
// each refused field named as Zoom names it, the seed's malformed user_info.
#include "zoomsim/create_request.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace zoomsim;

namespace {
const char* json_type = "application/json";

// The message of the refusal, or "" when the body is accepted.
std::string refusal(std::string_view body, std::string_view content_type = json_type) {
    auto result = parse_create_request(content_type, body);
    if (const auto* error = std::get_if<api_error>(&result)) {
        CHECK(error->status == 400);
        CHECK(error->code == 300);
        return error->message;
    }
    return "";
}

std::string body_with(const std::string& action, const std::string& user_info) {
    return R"({"action":")" + action + R"(","user_info":)" + user_info + "}";
}

std::string repeat(const std::string& text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i)
        out += text;
    return out;
}

std::string multipart(const std::string& action, const std::string& user_info) {
    return "--B\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n" + action +
           "\r\n--B\r\nContent-Disposition: form-data; name=\"user_info\"\r\n\r\n" + user_info +
           "\r\n--B--\r\n";
}
} // namespace

TEST_CASE("zoomsim create request: a valid JSON body gives the action and user") {
    auto result = parse_create_request(
        "application/json; charset=utf-8",
        R"({"action":"create","user_info":{"email":"Ann@Example.com","type":2,)"
        R"("first_name":"Ann","last_name":"Lee","display_name":"Ann L","extra":true}})");
    REQUIRE(std::holds_alternative<create_request>(result));
    const auto& request = std::get<create_request>(result);
    CHECK(request.action == zprov::create_action::create);
    CHECK(request.user.email == "Ann@Example.com");
    CHECK(request.user.type == 2);
    CHECK(request.user.first_name == "Ann");
    CHECK(request.user.last_name == "Lee");
    CHECK(request.user.display_name == "Ann L");
    CHECK(request.user.password.empty());
}

TEST_CASE("zoomsim create request: a multipart body with user_info as a JSON string") {
    auto result =
        parse_create_request("multipart/form-data; boundary=B",
                             multipart("ssoCreate", R"({"email":"sso@example.com","type":99})"));
    REQUIRE(std::holds_alternative<create_request>(result));
    CHECK(std::get<create_request>(result).action == zprov::create_action::sso_create);
    CHECK(std::get<create_request>(result).user.type == 99);
}

TEST_CASE("zoomsim create request: the seed's user_info ssoCreate{...} is malformed JSON") {
    const std::string seed_user_info =
        R"(ssoCreate{"email":"et qui reprehenderit","type":1,"first_name":"nostrud enim",)"
        R"("last_name":"fugiat Excepteur of","password":"consectetur irure moll"})";
    CHECK(refusal(multipart("ssoCreate", seed_user_info), "multipart/form-data; boundary=B") ==
          "Invalid field: user_info");
    // Without the prefix, its email is still not an email.
    CHECK(refusal(multipart("ssoCreate", seed_user_info.substr(9)),
                  "multipart/form-data; boundary=B") == "Invalid field: user_info.email");
}

TEST_CASE("zoomsim create request: malformed bodies") {
    CHECK(refusal("") == "Request Body should be a valid JSON object.");
    CHECK(refusal("{\"action\":") == "Request Body should be a valid JSON object.");
    CHECK(refusal("[1,2]") == "Request Body should be a valid JSON object.");
    CHECK(refusal("x", "multipart/form-data") == "Request Body should be a valid JSON object.");
    CHECK(refusal("x", "multipart/form-data; boundary=B") ==
          "Request Body should be a valid JSON object.");
}

TEST_CASE("zoomsim create request: each invalid field is named") {
    const std::string ok_user = R"({"email":"a@example.com","type":1})";
    CHECK(refusal(R"({"user_info":{"email":"a@example.com","type":1}})") ==
          "Invalid field: action");
    CHECK(refusal(body_with("invite", ok_user)) == "Invalid field: action");
    CHECK(refusal(R"({"action":1,"user_info":{"email":"a@example.com","type":1}})") ==
          "Invalid field: action");
    CHECK(refusal(R"({"action":"create"})") == "Invalid field: user_info");
    CHECK(refusal(body_with("create", R"("a@example.com")")) == "Invalid field: user_info");
    CHECK(refusal(body_with("create", R"({"type":1})")) == "Invalid field: user_info.email");
    CHECK(refusal(body_with("create", R"({"email":"no-at","type":1})")) ==
          "Invalid field: user_info.email");
    CHECK(refusal(body_with("create", R"({"email":7,"type":1})")) ==
          "Invalid field: user_info.email");
    CHECK(refusal(body_with("create",
                            R"({"email":")" + repeat("a", 120) + R"(@example.com","type":1})")) ==
          "Invalid field: user_info.email");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com"})")) ==
          "Invalid field: user_info.type");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":3})")) ==
          "Invalid field: user_info.type");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":"1"})")) ==
          "Invalid field: user_info.type");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":4294967297})")) ==
          "Invalid field: user_info.type");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":99})")) ==
          "Invalid field: user_info.type");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":1,"first_name":")" +
                                          repeat("x", 65) + R"("})")) ==
          "Invalid field: user_info.first_name");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":1,"last_name":5})")) ==
          "Invalid field: user_info.last_name");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":1,"display_name":")" +
                                          repeat("x", 129) + R"("})")) ==
          "Invalid field: user_info.display_name");
}

TEST_CASE("zoomsim create request: names are counted in code points") {
    // 64 Hangul syllables are 192 bytes but 64 characters: accepted.
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":1,"first_name":")" +
                                          repeat("\xED\x95\x9C", 64) + R"("})")) == "");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":1,"first_name":")" +
                                          repeat("\xED\x95\x9C", 65) + R"("})")) ==
          "Invalid field: user_info.first_name");
    CHECK(refusal(body_with("create", R"({"email":"a@example.com","type":1,"first_name":null})")) ==
          "");
}

TEST_CASE("zoomsim create request: passwords are checked for autoCreate only") {
    const auto with_password = [](const std::string& password) {
        return R"({"email":"a@example.com","type":1,"password":")" + password + R"("})";
    };
    CHECK(refusal(body_with("autoCreate", with_password("Secr3tPass"))) == "");
    auto kept =
        parse_create_request(json_type, body_with("autoCreate", with_password("Secr3tPass")));
    CHECK(std::get<create_request>(kept).user.password == "Secr3tPass");
    for (auto bad : {"short1A", "alllowercase1", "NoDigitsHere", "12345678Ab", "aaaaaaaaaaa"})
        CHECK(refusal(body_with("autoCreate", with_password(bad))) ==
              "Invalid field: user_info.password");
    // Other actions ignore the password, as Zoom does.
    CHECK(refusal(body_with("create", with_password("short"))) == "");
    auto ignored = parse_create_request(json_type, body_with("create", with_password("short")));
    CHECK(std::get<create_request>(ignored).user.password.empty());
}

TEST_CASE("zoomsim create request: at most 5 Chinese characters in a name, 10 in a display name") {
    const auto with = [](const char* field, const std::string& value) {
        return body_with("create", R"({"email":"a@example.com","type":1,")" + std::string(field) +
                                       R"(":")" + value + R"("})");
    };
    const std::string wang = "\xE7\x8E\x8B"; // U+738B
    CHECK(refusal(with("first_name", repeat(wang, 5))) == "");
    CHECK(refusal(with("first_name", repeat(wang, 6))) == "Invalid field: user_info.first_name");
    CHECK(refusal(with("last_name", "Li " + repeat(wang, 5) + " Na")) == "");
    CHECK(refusal(with("last_name", repeat(wang, 6))) == "Invalid field: user_info.last_name");
    CHECK(refusal(with("display_name", repeat(wang, 10))) == "");
    CHECK(refusal(with("display_name", repeat(wang, 11))) ==
          "Invalid field: user_info.display_name");
    auto refused = parse_create_request(json_type, with("first_name", repeat(wang, 6)));
    CHECK(std::get<api_error>(refused).detail == "cannot contain more than 5 Chinese characters");
}

TEST_CASE("zoomsim create request: a password's length counts characters") {
    const auto with_password = [](const std::string& password) {
        return body_with("autoCreate",
                         R"({"email":"a@example.com","type":1,"password":")" + password + R"("})");
    };
    CHECK(refusal(with_password("Ab1" + repeat("\xC3\xA9", 29))) == "");
    CHECK(refusal(with_password("Ab1" + repeat("\xC3\xA9", 30))) ==
          "Invalid field: user_info.password");
}
