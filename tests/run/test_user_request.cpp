#include "zprov/run/user_request.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace zprov;

TEST_CASE("JSON body: action and user_info, optional fields only when set") {
    user_record u{"Zoë@example.com", "Zoë", "", "", 2, "Secur3Pass", {}, {}, {}};
    auto body = make_user_request(u, create_action::create, body_format::json, "");
    CHECK(body.content_type == "application/json");
    auto doc = nlohmann::json::parse(body.text);
    CHECK(doc["action"] == "create");
    CHECK(doc["user_info"]["email"] == "Zoë@example.com");
    CHECK(doc["user_info"]["type"] == 2);
    CHECK(doc["user_info"]["first_name"] == "Zoë");
    CHECK_FALSE(doc["user_info"].contains("last_name"));
    CHECK_FALSE(doc["user_info"].contains("password")); // never with create
    auto with_password = nlohmann::json::parse(
        make_user_request(u, create_action::auto_create, body_format::json, "").text);
    CHECK(with_password["user_info"]["password"] == "Secur3Pass");
}

TEST_CASE("multipart body: the seed example's two fields") {
    user_record u{"a@example.com", "Ann", "Lee", "", 1, "", {}, {}, {}};
    auto body = make_user_request(u, create_action::sso_create, body_format::multipart, "b0undary");
    CHECK(body.content_type == "multipart/form-data; boundary=b0undary");
    CHECK(
        body.text.find(
            "--b0undary\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nssoCreate\r\n") ==
        0);
    CHECK(body.text.find("name=\"user_info\"\r\n\r\n{\"email\":\"a@example.com\"") !=
          std::string::npos);
    CHECK(body.text.size() >= 14);
    CHECK(body.text.substr(body.text.size() - 14) == "--b0undary--\r\n");
}
