#include "zprov/zoom/api.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace zprov {

std::string percent_encode(std::string_view s) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (char c : s) {
        const auto b = static_cast<unsigned char>(c);
        const bool unreserved = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                                (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' ||
                                b == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 0xf];
        }
    }
    return out;
}

} // namespace zprov

namespace zprov::zoom_api {

namespace {
using enum rate_category;
using sv = std::string_view;

// zoom/users.openapi.json and zoom/users-master.openapi.json: each operation's x-macro-scopes
// (classic) and x-granular-scopes.
constexpr sv list_users_classic[] = {"user:read", scope_user_write, scope_user_read_admin,
                                     scope_user_write_admin};
constexpr sv list_users_granular[] = {"user:read:list_users:admin"};
constexpr sv list_users_master[] = {"user:read:list_users:master"};
constexpr sv create_user_classic[] = {scope_user_write, scope_user_write_admin};
constexpr sv create_user_granular[] = {scope_user_write_granular};
constexpr sv create_user_master[] = {scope_user_write_master};
constexpr sv get_user_classic[] = {"user:read",           scope_user_write,
                                   scope_user_read_admin, scope_user_write_admin,
                                   "user_profile",        "user_info:read"};
constexpr sv get_user_granular[] = {"user:read:user", scope_user_read_granular};
constexpr sv get_user_master[] = {"user:read:user:master"};
constexpr sv update_user_classic[] = {scope_user_write_admin, scope_user_write};
constexpr sv update_user_granular[] = {"user:update:user", "user:update:user:admin"};
constexpr sv update_user_master[] = {"user:update:user:master"};
constexpr sv delete_user_classic[] = {scope_user_write_admin, scope_user_write};
constexpr sv delete_user_granular[] = {"user:delete:user", "user:delete:user:admin"};
constexpr sv delete_user_master[] = {"user:delete:user:master"};
constexpr sv list_groups_classic[] = {"group:read:admin", "group:write:admin"};
constexpr sv list_groups_granular[] = {"group:read:list_groups:admin"};
constexpr sv list_groups_master[] = {"group:read:list_groups:master"};
constexpr sv add_members_classic[] = {"group:write:admin"};
constexpr sv add_members_granular[] = {"group:write:member:admin"};
constexpr sv add_members_master[] = {"group:write:member:master"};
constexpr sv update_member_classic[] = {"group:write:admin"};
constexpr sv update_member_granular[] = {"group:update:member:admin"};
constexpr sv update_member_master[] = {"group:update:member:master"};
// A sub-account's calls take the master account's classic scope of the resource.
constexpr sv user_master_classic[] = {scope_user_master};
constexpr sv group_master_classic[] = {"group:master"};

// Rate-limit categories: each operation's "Rate Limit Label" in the OpenAPI.
constexpr std::array calls{
    call_info{operation::list_users,
              "users",
              "GET",
              "/users",
              medium,
              {list_users_classic, list_users_granular},
              {user_master_classic, list_users_master}},
    call_info{operation::create_user,
              "userCreate",
              "POST",
              "/users",
              light,
              {create_user_classic, create_user_granular},
              {user_master_classic, create_user_master}},
    call_info{operation::get_user,
              "user",
              "GET",
              "/users/{id}",
              light,
              {get_user_classic, get_user_granular},
              {user_master_classic, get_user_master}},
    call_info{operation::update_user,
              "userUpdate",
              "PATCH",
              "/users/{id}",
              light,
              {update_user_classic, update_user_granular},
              {user_master_classic, update_user_master}},
    call_info{operation::delete_user,
              "userDelete",
              "DELETE",
              "/users/{id}",
              light,
              {delete_user_classic, delete_user_granular},
              {user_master_classic, delete_user_master}},
    call_info{operation::list_groups,
              "groups",
              "GET",
              "/groups",
              medium,
              {list_groups_classic, list_groups_granular},
              {group_master_classic, list_groups_master}},
    call_info{operation::add_group_members,
              "groupMembersCreate",
              "POST",
              "/groups/{id}/members",
              medium,
              {add_members_classic, add_members_granular},
              {group_master_classic, add_members_master}},
    call_info{operation::update_group_member,
              "updateAGroupMember",
              "PATCH",
              "/groups/{id}/members/{id}",
              medium,
              {update_member_classic, update_member_granular},
              {group_master_classic, update_member_master}},
};

// `path` matches `pattern` segment by segment, "{id}" matching any one non-empty segment.
bool matches(std::string_view pattern, std::string_view path) {
    while (!pattern.empty() && !path.empty()) {
        if (pattern.front() != '/' || path.front() != '/')
            return false;
        pattern.remove_prefix(1);
        path.remove_prefix(1);
        auto want = pattern.substr(0, pattern.find('/'));
        auto have = path.substr(0, path.find('/'));
        if (have.empty() || (want != "{id}" && want != have))
            return false;
        pattern.remove_prefix(want.size());
        path.remove_prefix(have.size());
    }
    return pattern.empty() && path.empty();
}
} // namespace

std::span<const call_info> call_table() {
    return calls;
}

std::optional<std::string> path_segment(std::string_view value) {
    if (value.empty() || value == "." || value == "..")
        return std::nullopt;
    return percent_encode(value);
}

namespace {
std::string segment(std::string_view value, std::string_view what) {
    auto encoded = path_segment(value);
    if (!encoded)
        throw std::invalid_argument(std::string(what) + " '" + std::string(value) +
                                    "' cannot be a segment of a request path");
    return *encoded;
}

// Where an account's own paths start: "" for the app's account, "/accounts/{id}" for a
// sub-account.
std::string account_root(std::string_view account_id) {
    if (account_id.empty())
        return {};
    return std::string(accounts_path) + "/" + segment(account_id, "the account id");
}
} // namespace

std::string create_users_path(std::string_view account_id) {
    return account_root(account_id) + std::string(users_path);
}

std::string user_path(std::string_view account_id, std::string_view user) {
    return create_users_path(account_id) + "/" + segment(user, "the user");
}

std::string list_groups_path(std::string_view account_id) {
    return account_root(account_id) + std::string(groups_path);
}

std::string group_members_path(std::string_view account_id, std::string_view group_id) {
    return list_groups_path(account_id) + "/" + segment(group_id, "the group id") + "/members";
}

std::string group_member_path(std::string_view account_id, std::string_view group_id,
                              std::string_view member_id) {
    return group_members_path(account_id, group_id) + "/" + segment(member_id, "the member id");
}

const call_info& info_of(operation op) {
    for (const auto& call : calls)
        if (call.id == op)
            return call;
    return calls.front(); // unreachable: every operation has its row
}

std::optional<call_match> find_call(std::string_view method, std::string_view path) {
    for (const auto& call : calls)
        if (call.method == method && matches(call.path, path))
            return call_match{&call, false};
    // A sub-account's call: the account's own call under /accounts/{id}.
    const auto prefix = std::string(accounts_path) + "/";
    if (!path.starts_with(prefix))
        return std::nullopt;
    const auto slash = path.find('/', prefix.size());
    if (slash == prefix.size() || slash == std::string_view::npos)
        return std::nullopt;
    const auto mirrored = path.substr(slash);
    if (mirrored.starts_with(prefix))
        return std::nullopt; // no accounts of accounts
    auto own = find_call(method, mirrored);
    if (own)
        own->sub_account = true;
    return own;
}

std::optional<rate_category> category_of(std::string_view method, std::string_view path) {
    auto found = find_call(method, path);
    if (!found)
        return std::nullopt;
    return found->call->category;
}

bool scopes_allow(std::string_view scopes, const call_info& call, bool sub_account) {
    const auto& allowed = sub_account ? call.master : call.own;
    std::size_t at = 0;
    while (at < scopes.size()) {
        auto end = std::min(scopes.find(' ', at), scopes.size());
        const auto scope = scopes.substr(at, end - at);
        for (auto list : {allowed.classic, allowed.granular})
            for (auto one : list)
                if (!scope.empty() && scope == one)
                    return true;
        at = end + 1;
    }
    return false;
}

} // namespace zprov::zoom_api
