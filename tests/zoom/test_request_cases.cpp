// The shared table of POST /users cases (zoom_request_cases.hpp) against zprov's row checks
// and zoomsim's request parser: each must say what Zoom says, and zoomsim must take every
// body zprov builds from a row it accepts.
#include "support/zoom_request_cases.hpp"

#include "zoomsim/create_request.hpp"
#include "zprov/run/user_request.hpp"
#include "zprov/sheet/validation.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

using namespace zprov;
using zprov::test::request_case;
using zprov::test::zoom_says;

namespace {

std::vector<field_error> zprov_verdict(const request_case& c, user_record& user) {
    const auto type = std::to_string(c.type);
    user_cells cells{};
    auto set = [&](field f, std::string_view value) { cells[static_cast<std::size_t>(f)] = value; };
    set(field::email, c.email);
    set(field::first_name, c.first_name);
    set(field::last_name, c.last_name);
    set(field::display_name, c.display_name);
    set(field::type, type);
    set(field::password, c.password);
    return check_user(cells, validation_rules{c.action, 1}, user);
}

// The case's fields as they would reach Zoom from any client.
std::variant<zoomsim::create_request, zoomsim::api_error> zoomsim_verdict(const request_case& c) {
    nlohmann::json info{{"email", c.email}, {"type", c.type}};
    for (auto [name, value] :
         {std::pair{"first_name", &c.first_name}, std::pair{"last_name", &c.last_name},
          std::pair{"display_name", &c.display_name}, std::pair{"password", &c.password}})
        if (!value->empty())
            info[name] = *value;
    nlohmann::json body{{"action", info_of(c.action).name}, {"user_info", info}};
    return zoomsim::parse_create_request("application/json", body.dump());
}

} // namespace

TEST_CASE("zoom request cases: the table is sound") {
    for (const auto& c : test::zoom_request_cases()) {
        CAPTURE(c.what);
        CHECK((c.expected == zoom_says::accepted) == c.field.empty());
        CHECK((c.expected == zoom_says::accepted_but_zprov_refuses) == !c.why.empty());
    }
}

TEST_CASE("zoom request cases: zprov's row checks say what Zoom says") {
    for (const auto& c : test::zoom_request_cases()) {
        CAPTURE(c.what);
        user_record user;
        auto errors = zprov_verdict(c, user);
        if (c.expected == zoom_says::accepted) {
            CHECK_MESSAGE(errors.empty(),
                          (errors.empty() ? "" : errors[0].field + ": " + errors[0].reason));
        } else {
            CHECK(errors.size() == 1);
            if (!errors.empty())
                CHECK(errors[0].field == c.field);
        }
    }
}

TEST_CASE("zoom request cases: zoomsim's request parser says what Zoom says") {
    for (const auto& c : test::zoom_request_cases()) {
        CAPTURE(c.what);
        auto result = zoomsim_verdict(c);
        const auto* error = std::get_if<zoomsim::api_error>(&result);
        if (c.expected == zoom_says::refused) {
            CHECK_MESSAGE(error != nullptr, "zoomsim accepted it");
            if (!error)
                continue;
            CHECK(error->status == 400);
            CHECK(error->code == 300);
            CHECK(error->field == "user_info." + std::string(c.field));
        } else {
            CHECK_MESSAGE(error == nullptr, (error ? error->field + ": " + error->detail : ""));
        }
    }
}

TEST_CASE("zoom request cases: zoomsim takes every body zprov builds from a row it accepts") {
    for (const auto& c : test::zoom_request_cases()) {
        user_record user;
        if (!zprov_verdict(c, user).empty())
            continue;
        CAPTURE(c.what);
        for (auto format : {body_format::json, body_format::multipart}) {
            auto body = make_user_request(user, c.action, format, "b0undary-7a3f");
            auto result = zoomsim::parse_create_request(body.content_type, body.text);
            const auto* error = std::get_if<zoomsim::api_error>(&result);
            CHECK_MESSAGE(error == nullptr, (error ? error->field + ": " + error->detail : ""));
            if (error)
                continue;
            const auto& seen = std::get<zoomsim::create_request>(result);
            CHECK(seen.action == c.action);
            CHECK(seen.user.email == user.email);
            CHECK(seen.user.first_name == user.first_name);
            CHECK(seen.user.last_name == user.last_name);
            CHECK(seen.user.display_name == user.display_name);
            CHECK(seen.user.type == user.type);
            CHECK(seen.user.password == user.password);
        }
    }
}
