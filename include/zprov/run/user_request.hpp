// The body of POST /users for one validated user: application/json (default) or
// multipart/form-data with `action` and `user_info` (a JSON string), as Zoom's own
// examples send it. The password goes in only for actions that take one. Throws nothing.
#pragma once

#include "zprov/run/config.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/sheet/validation.hpp"

#include <string>

namespace zprov {

struct request_body {
    std::string content_type;
    std::string text;
};

std::string user_info_json(const user_record& user, create_action action);

// `boundary` is used for multipart only (must not occur in the JSON: it is random).
request_body make_user_request(const user_record& user, create_action action, body_format format,
                               const std::string& boundary);

} // namespace zprov
