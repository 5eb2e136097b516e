// The answers Zoom gives when it refuses a request: HTTP status, Zoom's error code and its
// message, in one place for the whole simulator. The codes are Zoom's facts
// (zprov/zoom/codes.hpp). Throws only std::bad_alloc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
// 400/4711 "Invalid access token, does not contain scopes:[a, b]." naming `scopes`.
api_error scope_missing(const std::vector<std::string_view>& scopes);
// 400/1120: the user's invitation expired (GET, PATCH and DELETE /users/{id}).
api_error invitation_not_found();
// 404/4130 "A group with this {groupId} does not exist."
api_error group_does_not_exist(std::string_view group_id);
// 404/4131 "Group member does not exist."
api_error member_does_not_exist();
// 400/300 for PATCH /groups/{id}/members/{id} action=move without target_group_id.
api_error target_group_missing();
// 400/300 "Validation Failed." for a member of a body, with the reason.
api_error invalid_member(std::string_view member, std::string reason);
// 429 "Too many concurrent requests. A request to disassociate this user has already been
// made." (zoom/rate-limits.md, "Concurrent request limits").
api_error concurrent_delete();
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
