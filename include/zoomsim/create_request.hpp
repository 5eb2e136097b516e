// The body of POST /v2/users, read and validated as Zoom does: application/json, or
// multipart/form-data with the fields `action` and `user_info` (a JSON string) as the
// seed's curl sends it. Field rules are zprov's (validation.hpp), so client and simulator
// agree. Pure; a refused body is a value (api_error 400/300 naming the field). Throws
// only std::bad_alloc.
#pragma once

#include "zoomsim/zoom_errors.hpp"
#include "zprov/plans.hpp"
#include "zprov/validation.hpp"

#include <string_view>
#include <variant>

namespace zoomsim {

struct create_request {
    zprov::create_action action = zprov::create_action::create;
    zprov::user_record user; // password only kept for autoCreate
};

std::variant<create_request, api_error> parse_create_request(std::string_view content_type,
                                                             std::string_view body);

} // namespace zoomsim
