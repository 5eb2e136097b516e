// Which account a call is about, and its calls: the account's own under /v2, a master
// account's sub-accounts under /v2/accounts/{accountId} mirroring them, each sub-account with
// its own users and groups.
#include "zoomsim/simulator.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/sim_replies.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace zoomsim {

namespace {
namespace zoom_api = zprov::zoom_api;

const std::string accounts_prefix =
    std::string(zoom_api::version_path) + std::string(zoom_api::accounts_path) + "/";

// "/v2/accounts/{id}/..." split into the account id (percent-decoded) and what follows it
// ("/users", "/users/x", "/groups"); std::nullopt for other paths.
std::optional<std::pair<std::string, std::string_view>> split_account(std::string_view path) {
    if (!path.starts_with(accounts_prefix))
        return std::nullopt;
    auto rest = path.substr(accounts_prefix.size());
    auto slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos)
        return std::nullopt;
    auto raw = rest.substr(0, slash);
    auto id = percent_decode(raw, false);
    return std::pair{id.value_or(std::string(raw)), rest.substr(slash)};
}

// The one path segment after `collection` ("/users/{x}" gives "x"); std::nullopt when `path`
// is not that collection's member.
std::optional<std::string_view> segment_after(std::string_view path, std::string_view collection) {
    if (!path.starts_with(collection) || path.size() < collection.size() + 2 ||
        path[collection.size()] != '/')
        return std::nullopt;
    auto rest = path.substr(collection.size() + 1);
    if (rest.find('/') != std::string_view::npos)
        return std::nullopt;
    return rest;
}

std::string_view query_of(std::string_view target) {
    auto question = target.find('?');
    return question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
}
} // namespace

bool simulator::is_sub_account_create(std::string_view method, std::string_view path) {
    auto split = split_account(path);
    return method == "POST" && split && split->second == zoom_api::users_path;
}

std::optional<sim_reply> simulator::sub_account_call(const sim_request& request,
                                                     std::string_view path, sys_days today) {
    auto split = split_account(path);
    if (!split)
        return std::nullopt;
    const auto& [id, tail] = *split;
    auto account = sub_users_.find(id);
    if (account == sub_users_.end())
        return error_reply(no_such_sub_account(id));
    const account_view in{
        account->second, sub_groups_[id], may_create_sub_, scope_missing_for_sub_account_create(),
        std::string(path.substr(0, path.size() - tail.size())) + std::string(zoom_api::users_path)};
    if (auto reply = account_call(request, tail, today, in))
        return reply;
    return error_reply(no_such_endpoint(request.method, path));
}

std::optional<sim_reply> simulator::account_call(const sim_request& request, std::string_view tail,
                                                 sys_days today, const account_view& in) {
    const auto method = request.method;
    if (method == "POST" && tail == zoom_api::users_path)
        return create_user(request, today, in);
    if (method == "GET" && tail == zoom_api::users_path)
        return list_users(request.target, in.users);
    if (auto raw = segment_after(tail, zoom_api::users_path)) {
        auto which = percent_decode(*raw, false).value_or(std::string(*raw));
        if (method == "GET")
            return get_user(which, in.users);
        if (method == "PATCH")
            return update_user(which, request.body, in);
        if (method == "DELETE")
            return delete_user(which, query_of(request.target), in.users);
        return std::nullopt;
    }
    if (method == "GET" && tail == zoom_api::groups_path)
        return list_groups(query_of(request.target), in);
    const std::string_view members = "/members";
    if (method == "POST" && tail.ends_with(members))
        if (auto raw =
                segment_after(tail.substr(0, tail.size() - members.size()), zoom_api::groups_path))
            return add_members(percent_decode(*raw, false).value_or(std::string(*raw)),
                               request.body, in);
    return std::nullopt;
}

nlohmann::ordered_json simulator::sub_account_users() const {
    auto out = nlohmann::ordered_json::object();
    for (const auto& [id, users] : sub_users_) {
        std::vector<std::string> emails;
        for (const auto& entry : users)
            emails.push_back(entry.second.email);
        std::sort(emails.begin(), emails.end());
        out[id] = emails;
    }
    return out;
}

} // namespace zoomsim
