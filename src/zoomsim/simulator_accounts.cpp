// Which account a call is about, whether the tokens' scopes allow it, and its calls: the
// account's own under /v2, a master account's sub-accounts under /v2/accounts/{accountId}
// mirroring them, each sub-account with its own users and groups. Each call's scopes are
// Zoom's facts (zprov/zoom/api.hpp, from the OpenAPI): a token holding none of them is
// refused 400/4711, naming them (zoom/FACTS.md, "Answers").
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

std::optional<sim_reply> simulator::scope_refusal(std::string_view method, std::string_view path) {
    auto call = zoom_api::find_call(method, path.substr(zoom_api::version_path.size()));
    if (!call)
        return std::nullopt; // not a call zoomsim serves: answered 404 further on
    ++calls_by_operation_[std::string(call->call->operation_id)];
    if (zoom_api::scopes_allow(options_.scopes, *call->call, call->sub_account))
        return std::nullopt;
    ++counts_.scope_refused;
    const auto& scopes = call->sub_account ? call->call->master : call->call->own;
    std::vector<std::string_view> named(scopes.classic.begin(), scopes.classic.end());
    named.insert(named.end(), scopes.granular.begin(), scopes.granular.end());
    return error_reply(scope_missing(named));
}

std::variant<std::pair<account*, std::string_view>, sim_reply>
simulator::account_of(std::string_view path) {
    auto split = split_account(path);
    if (!split)
        return std::pair{&own_, path.substr(zoom_api::version_path.size())};
    const auto& [id, tail] = *split;
    auto found = sub_accounts_.find(id);
    if (found == sub_accounts_.end())
        return error_reply(no_such_sub_account(id));
    return std::pair{&found->second, tail};
}

std::optional<sim_reply> simulator::account_call(const sim_request& request, std::string_view tail,
                                                 sys_days today, account& in) {
    const auto method = request.method;
    const auto query = query_of(request.target);
    if (method == "POST" && tail == zoom_api::users_path)
        return create_user(request, today, in);
    if (method == "GET" && tail == zoom_api::users_path)
        return in.list_users(query);
    if (auto raw = segment_after(tail, zoom_api::users_path)) {
        auto which = percent_decode(*raw, false).value_or(std::string(*raw));
        if (method == "GET")
            return in.get_user(which);
        if (method == "PATCH")
            return in.update_user(which, request.body);
        if (method == "DELETE")
            return in.delete_user(which, query);
        return std::nullopt;
    }
    if (method == "GET" && tail == zoom_api::groups_path)
        return in.list_groups(query);
    // /groups/{groupId}/members and /groups/{groupId}/members/{memberId}
    const std::string groups_prefix = std::string(zoom_api::groups_path) + "/";
    if (!tail.starts_with(groups_prefix))
        return std::nullopt;
    std::vector<std::string> parts;
    for (auto rest = tail.substr(groups_prefix.size());;) {
        auto slash = rest.find('/');
        auto raw = rest.substr(0, slash);
        parts.push_back(percent_decode(raw, false).value_or(std::string(raw)));
        if (slash == std::string_view::npos)
            break;
        rest = rest.substr(slash + 1);
    }
    if (parts.size() < 2 || parts[1] != "members" || parts[0].empty())
        return std::nullopt;
    if (method == "POST" && parts.size() == 2)
        return in.add_members(parts[0], request.body);
    if (method == "PATCH" && parts.size() == 3 && !parts[2].empty())
        return in.update_member(parts[0], parts[2], request.body);
    return std::nullopt;
}

std::string simulator::users_json() const {
    nlohmann::ordered_json subs = nlohmann::ordered_json::object();
    for (const auto& [id, sub] : sub_accounts_)
        subs[id] = sub.users_json();
    return nlohmann::ordered_json{{"users", own_.users_json()}, {"sub_accounts", std::move(subs)}}
        .dump();
}

} // namespace zoomsim
