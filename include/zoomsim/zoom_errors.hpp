// The answers Zoom gives when it refuses a request: HTTP status, Zoom's error code and its
// message, in one place for the whole simulator. The codes are Zoom's facts
// (zprov/zoom/codes.hpp). Throws only std::bad_alloc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zoomsim {

struct api_error {
    int status;          // HTTP status
    int code;            // Zoom's "code"
    std::string message; // Zoom's "message"
    std::string detail;  // why, for people (sent as errors[0].message when not empty)
    std::string field;   // the field refused, if any (errors[0].field)
};

// 400/300 "Invalid field: user_info.email", with the reason as detail.
api_error invalid_field(std::string_view field, std::string reason);
// 400/300 for a body that is not a JSON object.
api_error malformed_body(std::string reason);
// 400/4711: the token has no scope that allows creating users.
api_error scope_missing_for_create();
// 400/4711 for POST /accounts/{id}/users: the token has no master scope.
api_error scope_missing_for_sub_account_create();
// 400/2001 "This account does not exist or does not belong to you: id."
api_error no_such_sub_account(std::string_view account_id);
// 400/2034: the account has no Licensed seats left.
api_error no_licensed_seats();
// 409/1005 "Email x@y has already been used."
api_error email_already_used(std::string_view email);
// 404/1001 "User does not exist: x."
api_error user_does_not_exist(std::string_view user);
// 401/124 "Invalid access token."
api_error invalid_access_token();
// 429/429 Zoom's per-second message.
api_error per_second_limited();
// 429/429 "You have exceeded the daily rate limit (N) of user invite requests ..."
api_error daily_limited(std::int64_t cap);
// 404 for a path Zoom does not serve.
api_error no_such_endpoint(std::string_view method, std::string_view path);

} // namespace zoomsim
