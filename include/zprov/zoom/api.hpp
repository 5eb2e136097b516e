// Zoom's facts about its API, shared by zprov and zoomsim: hosts and paths (and how a value
// becomes a path segment), which rate-limit category each call zprov uses is in, the headers
// that carry rate limits, the scopes and the token lifetime. Throws nothing but where said.
#pragma once

#include "zprov/zoom/plans.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

// `s` with every byte but RFC 3986's unreserved characters as %XX: a path segment's or a
// query value's text (zoom_api::path_segment also refuses the dot segments).
std::string percent_encode(std::string_view s);

} // namespace zprov

namespace zprov::zoom_api {

inline constexpr std::string_view base_url = "https://api.zoom.us/v2";
inline constexpr std::string_view oauth_url = "https://zoom.us/oauth/token";
inline constexpr std::string_view gov_base_url = "https://api.zoomgov.com/v2";
inline constexpr std::string_view gov_oauth_url = "https://zoomgov.com/oauth/token";

// The path of base_url: every API path below is relative to it.
inline constexpr std::string_view version_path = "/v2";
inline constexpr std::string_view users_path = "/users";
inline constexpr std::string_view groups_path = "/groups";
// Page sizes of the lists (zoom/users.openapi.json): GET /users takes up to 2000 a page,
// GET /groups up to 300; both default to 30.
inline constexpr int default_page_size = 30;
inline constexpr int list_users_max_page_size = 2000;
inline constexpr int list_groups_max_page_size = 300;
// The largest page_size both lists take (GET /groups' maximum).
inline constexpr int max_page_size = 300;
// The most bytes one entry of those lists takes. Zoom's example entry of GET /users, with
// every documented field, is 878 bytes; its bounded fields at their longest (names 64 + 64,
// display name 128, email 128 characters, up to 4 bytes each) come to about 1.6 KB, and
// the unbounded ones (dept, custom attributes, group ids) get the rest. A group's entry is
// smaller.
inline constexpr std::size_t max_list_entry_bytes = 8 * 1024;
// The most bytes of a page of `page_size` entries: the entries, and 4 KiB for the rest.
constexpr std::size_t list_page_bytes(int page_size) {
    return static_cast<std::size_t>(page_size) * max_list_entry_bytes + 4 * 1024;
}
// POST /groups/{groupId}/members adds at most this many members a call.
inline constexpr std::size_t max_members_per_call = 30;
// An invitation (action=create) expires this long after it was sent, unless accepted; the
// user then leaves the pending list and GET, PATCH and DELETE answer 400/1120
// (zoom/FACTS.md, from Zoom's knowledge base: not in the OpenAPI).
inline constexpr std::chrono::days invitation_lifetime{30};
// A master account's calls on one of its sub-accounts: under accounts_path + "/{accountId}"
// mirror the account's own (POST .../users, GET and PATCH .../users/{userId}, GET .../groups,
// ...), in the same rate-limit categories.
inline constexpr std::string_view accounts_path = "/accounts";
// On the OAuth host, not under version_path.
inline constexpr std::string_view oauth_token_path = "/oauth/token";

// The calls zprov and zoomsim use, as Zoom's OpenAPI describes them
// (zoom/users.openapi.json; the same calls under accounts_path + "/{accountId}" in
// zoom/users-master.openapi.json, for a master account's sub-accounts).
enum class operation {
    list_users,
    create_user,
    get_user,
    update_user,
    delete_user,
    list_groups,
    add_group_members,
    update_group_member,
};

// Scopes that allow a call: any one of them. Classic ("user:write:admin") and granular
// ("user:write:user:admin") forms, as the OpenAPI's x-macro-scopes and x-granular-scopes.
struct scope_set {
    std::span<const std::string_view> classic;
    std::span<const std::string_view> granular;
};

struct call_info {
    operation id;
    std::string_view operation_id; // Zoom's operationId
    std::string_view method;
    std::string_view path; // under version_path; "{id}" stands for one path segment
    rate_category category;
    scope_set own;    // on the app's own account
    scope_set master; // on a sub-account (the :master forms)
};
std::span<const call_info> call_table();
const call_info& info_of(operation op);

// What `method` on `path` (under version_path) is: a call of the table on the app's own
// account, or under accounts_path + "/{accountId}" on a sub-account.
struct call_match {
    const call_info* call;
    bool sub_account;
};
std::optional<call_match> find_call(std::string_view method, std::string_view path);
// The category of `method` on `path` (under version_path), if it is a call in the table or
// such a call under accounts_path + "/{accountId}".
std::optional<rate_category> category_of(std::string_view method, std::string_view path);
// Whether `scopes` (a token's space-separated `scope`) allow `call` on the own account or,
// with `sub_account`, on a sub-account.
bool scopes_allow(std::string_view scopes, const call_info& call, bool sub_account);

// `value` (an id, an email, a sub-account) as one segment of a request path: RFC 3986's
// unreserved characters as they are, every other byte as %XX ("ann+1@x.com" ->
// "ann%2B1%40x.com"). std::nullopt for "", "." and "..": a gateway that normalises paths
// would take them (and their %2E forms) for no segment or a step up the path, and send the
// call elsewhere; no id of Zoom's is one.
std::optional<std::string> path_segment(std::string_view value);

// The paths below take their values as they are and encode each with path_segment; a value
// it refuses throws std::invalid_argument (callers check values where they come in: the
// command line, Zoom's answers). An empty `account_id` means the app's own account.
// Where users are created and listed: users_path, or a sub-account's users.
std::string create_users_path(std::string_view account_id);
// One user, by id or email, in the account or the sub-account.
std::string user_path(std::string_view account_id, std::string_view user);
// The account's groups (GET), or the sub-account's.
std::string list_groups_path(std::string_view account_id);
// One group's members (POST), in the account or the sub-account.
std::string group_members_path(std::string_view account_id, std::string_view group_id);
// One member of a group (PATCH: move, set_primary).
std::string group_member_path(std::string_view account_id, std::string_view group_id,
                              std::string_view member_id);

// Rate-limit headers of Zoom's answers.
inline constexpr std::string_view rate_limit_category_header = "X-RateLimit-Category";
inline constexpr std::string_view rate_limit_type_header = "X-RateLimit-Type";
inline constexpr std::string_view rate_limit_limit_header = "X-RateLimit-Limit";
inline constexpr std::string_view rate_limit_remaining_header = "X-RateLimit-Remaining";
inline constexpr std::string_view retry_after_header = "Retry-After";
// X-RateLimit-Type values: the per-second limit and the daily cap.
inline constexpr std::string_view per_second_limit_type = "QPS";
inline constexpr std::string_view daily_limit_type = "Daily-limit";

// Server-to-Server OAuth.
inline constexpr std::string_view oauth_grant_type = "account_credentials";
inline constexpr std::chrono::seconds token_lifetime{3600};
// Scopes by name, where zprov names them in its messages; call_table() has every call's.
// Scopes that allow POST /users: classic, and granular (what new apps get).
inline constexpr std::string_view scope_user_write_admin = "user:write:admin";
inline constexpr std::string_view scope_user_write = "user:write";
inline constexpr std::string_view scope_user_write_granular = "user:write:user:admin";
// Scopes that allow POST /accounts/{accountId}/users (master accounts): granular, classic.
inline constexpr std::string_view scope_user_write_master = "user:write:user:master";
inline constexpr std::string_view scope_user_master = "user:master";
// Scopes that allow GET /users/{id}: classic and granular.
inline constexpr std::string_view scope_user_read_admin = "user:read:admin";
inline constexpr std::string_view scope_user_read_granular = "user:read:user:admin";

} // namespace zprov::zoom_api
