#include "zprov/zoom/api.hpp"

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

// zoom/FACTS.md, "Rate-limit categories".
constexpr std::array calls{
    call_info{"POST", "/users", light},
    call_info{"GET", "/users/{id}", light},
    call_info{"PATCH", "/users/{id}", light},
    call_info{"DELETE", "/users/{id}", light},
    call_info{"POST", "/accounts/{id}/users", light},
    call_info{"GET", "/users", medium},
    call_info{"GET", "/groups", medium},
    call_info{"POST", "/groups/{id}/members", medium},
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

std::optional<rate_category> category_of(std::string_view method, std::string_view path) {
    for (const auto& call : calls)
        if (call.method == method && matches(call.path, path))
            return call.category;
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
    return category_of(method, mirrored);
}

} // namespace zprov::zoom_api
