#include "zprov/zoom/codes.hpp"

#include <array>

namespace zprov {

namespace {
using enum code_subject;

// zoom/FACTS.md, "Answers", and zoom/users.openapi.json.
constexpr std::array codes{
    zoom_code_info{zoom_code::invalid_token, "invalid or expired access token", token},
    zoom_code_info{zoom_code::no_privilege, "no privilege", account},
    zoom_code_info{zoom_code::invalid_parameter,
                   "validation failed (an invalid field, an invalid word in a name, a bad "
                   "password) or a malformed body",
                   row},
    zoom_code_info{zoom_code::user_not_found, "user does not exist", lookup},
    zoom_code_info{zoom_code::email_used, "email has already been used", row},
    zoom_code_info{zoom_code::active_elsewhere, "the user already holds an active account", row},
    zoom_code_info{zoom_code::domain_blocked, "email domain is blocked", row},
    zoom_code_info{zoom_code::domain_not_allowed, "email not among the account's limited domains",
                   row},
    zoom_code_info{zoom_code::invitation_expired, "the invitation has expired", lookup},
    zoom_code_info{zoom_code::account_not_found,
                   "the sub-account does not exist or does not belong to this (master) account",
                   account},
    zoom_code_info{zoom_code::sso_not_enabled, "SSO is not enabled for the account", account},
    zoom_code_info{zoom_code::no_permission, "no permission", account},
    zoom_code_info{zoom_code::sso_not_preprovisioned,
                   "ssoCreate needs the SSO pre-provisioning option", account},
    zoom_code_info{zoom_code::basic_seats_exhausted, "no basic user seats left", account},
    zoom_code_info{zoom_code::licensed_seats_exhausted, "no licensed user seats left", account},
    zoom_code_info{zoom_code::cannot_add_users, "the account cannot add users", account},
    zoom_code_info{zoom_code::zoom_one_seats_exhausted, "no Zoom One seats left", account},
    zoom_code_info{zoom_code::seats_exhausted, "no seats left for this user type", account},
    zoom_code_info{zoom_code::group_not_found, "group does not exist", row},
    zoom_code_info{zoom_code::group_member_not_found, "the user is not a member of the group", row},
    zoom_code_info{zoom_code::scope_missing, "the token lacks a scope", account},
    zoom_code_info{zoom_code::scope_missing_granular, "the token lacks a scope", account},
    zoom_code_info{zoom_code::domain_blocked_trust_safety,
                   "email domain is blocked by Zoom Trust & Safety", row},
    zoom_code_info{zoom_code::rate_limited, "rate limited (per second or daily)", pacing},
};
} // namespace

std::span<const zoom_code_info> zoom_code_table() {
    return codes;
}

std::optional<zoom_code_info> find_zoom_code(int code) {
    for (const auto& row : codes)
        if (row.code == code)
            return row;
    return std::nullopt;
}

} // namespace zprov
