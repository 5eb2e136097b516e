#include "zoomsim/zoom_errors.hpp"

#include "zprov/zoom/codes.hpp"

namespace zoomsim {

using namespace zprov::zoom_code;

api_error invalid_field(std::string_view field, std::string reason) {
    return {400, invalid_parameter, "Invalid field: " + std::string(field), std::move(reason),
            std::string(field)};
}

api_error malformed_body(std::string reason) {
    return {400,
            invalid_parameter,
            "Request Body should be a valid JSON object.",
            std::move(reason),
            {}};
}

api_error email_already_used(std::string_view email) {
    return {409, email_used, "Email " + std::string(email) + " has already been used.", {}, {}};
}

api_error scope_missing(const std::vector<std::string_view>& scopes) {
    std::string listed;
    for (auto scope : scopes)
        listed += (listed.empty() ? "" : ", ") + std::string(scope);
    return {400,
            scope_missing_granular,
            "Invalid access token, does not contain scopes:[" + listed + "].",
            {},
            {}};
}

api_error invitation_not_found() {
    return {400,
            invitation_expired,
            "A valid invitation to join the Zoom account was not found for this user.",
            {},
            {}};
}

api_error group_does_not_exist(std::string_view group_id) {
    return {404,
            group_not_found,
            "A group with this " + std::string(group_id) + " does not exist.",
            {},
            {}};
}

api_error member_does_not_exist() {
    return {404, group_member_not_found, "Group member does not exist.", {}, {}};
}

api_error target_group_missing() {
    return {400, invalid_parameter, "The target_group_id can not be empty.", {}, {}};
}

api_error invalid_member(std::string_view member, std::string reason) {
    return {400, invalid_parameter, "Validation Failed.", std::move(reason), std::string(member)};
}

api_error concurrent_delete() {
    return {429,
            rate_limited,
            "Too many concurrent requests. A request to disassociate this user has already "
            "been made.",
            {},
            {}};
}

api_error no_such_sub_account(std::string_view account_id) {
    api_error error{
        400, account_not_found, "This account does not exist or does not belong to you: ", {}, {}};
    error.message += std::string(account_id) + ".";
    return error;
}

api_error no_licensed_seats() {
    return {400,
            licensed_seats_exhausted,
            "You do not have enough licenses to add a Licensed user. Buy more licenses or add "
            "the user as Basic.",
            {},
            {}};
}

api_error user_does_not_exist(std::string_view user) {
    return {404, user_not_found, "User does not exist: " + std::string(user) + ".", {}, {}};
}

api_error invalid_access_token() {
    return {401, invalid_token, "Invalid access token.", {}, {}};
}

api_error per_second_limited() {
    return {429,
            rate_limited,
            "You have reached the maximum per-second rate limit for this API. Try again later.",
            {},
            {}};
}

api_error daily_limited(std::int64_t cap) {
    return {429,
            rate_limited,
            "You have exceeded the daily rate limit (" + std::to_string(cap) +
                ") of user invite requests permitted for this account. You may resume these "
                "requests at GMT 00:00:00.",
            {},
            {}};
}

api_error no_such_endpoint(std::string_view method, std::string_view path) {
    return {404, 404, "No such API: " + std::string(method) + " " + std::string(path), {}, {}};
}

} // namespace zoomsim
