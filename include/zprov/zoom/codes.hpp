// Zoom's answer codes (the "code" of an error body), shared by zprov and zoomsim: the one
// table of numbers, their meaning and what each is about, from zoom/FACTS.md. What zprov
// does about each is its own policy (zoom_answer.hpp). Throws nothing.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace zprov {

// Meanings in zoom_code_table().
namespace zoom_code {
inline constexpr int invalid_token = 124;
inline constexpr int no_privilege = 200;
inline constexpr int invalid_parameter = 300;
inline constexpr int user_not_found = 1001;
inline constexpr int email_used = 1005;
inline constexpr int active_elsewhere = 1009;
inline constexpr int domain_blocked = 1107;
inline constexpr int domain_not_allowed = 1116;
inline constexpr int invitation_expired = 1120;
inline constexpr int account_not_found = 2001;
inline constexpr int sso_not_enabled = 2002;
inline constexpr int no_permission = 2016;
inline constexpr int sso_not_preprovisioned = 2032;
inline constexpr int basic_seats_exhausted = 2033;
inline constexpr int licensed_seats_exhausted = 2034;
inline constexpr int cannot_add_users = 2035;
inline constexpr int zoom_one_seats_exhausted = 2038;
inline constexpr int seats_exhausted = 3412;
inline constexpr int group_not_found = 4130;
inline constexpr int group_member_not_found = 4131;
inline constexpr int scope_missing = 4700;
inline constexpr int scope_missing_granular = 4711;
inline constexpr int domain_blocked_trust_safety = 11321;
inline constexpr int rate_limited = 429;
} // namespace zoom_code

// What an answer code is about: what the client can do about it.
enum class code_subject {
    row,     // this user's data: fix the row
    client,  // the request is malformed: the client's fault
    account, // the account refuses (privilege, seats, scopes, SSO): fix the account
    token,   // refresh the access token
    lookup,  // a lookup found nothing
    pacing,  // rate limits
};

struct zoom_code_info {
    int code;
    std::string_view meaning;
    code_subject about;
};

std::span<const zoom_code_info> zoom_code_table();
std::optional<zoom_code_info> find_zoom_code(int code);

} // namespace zprov
