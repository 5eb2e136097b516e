// The body of POST /v2/users, read and validated as Zoom does: application/json, or
// multipart/form-data with the fields `action` and `user_info` (a JSON string) as the
// seed's curl sends it. Field rules are zoomsim's own (user_rules.hpp), not zprov's, so the
// tests can catch zprov departing from Zoom. Pure; a refused body is a value (api_error
// 400/300 naming the field). Throws only std::bad_alloc.
#pragma once

#include "zoomsim/zoom_errors.hpp"
#include "zprov/zoom/plans.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace zoomsim {

// user_info as Zoom keeps it.
struct new_user {
    std::string email;
    std::string first_name;
    std::string last_name;
    std::string display_name;
    int type = 1;
    std::string password; // only kept for actions that take one (autoCreate)
};

struct create_request {
    zprov::create_action action = zprov::create_action::create;
    new_user user;
};

std::variant<create_request, api_error> parse_create_request(std::string_view content_type,
                                                             std::string_view body);

} // namespace zoomsim
