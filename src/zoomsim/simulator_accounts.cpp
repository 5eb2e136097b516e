// A master account's sub-accounts: POST /v2/accounts/{accountId}/users and
// GET /v2/accounts/{accountId}/users/{userId|email}, each sub-account with its own users.
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

// "/v2/accounts/{id}/users..." split into the account id (percent-decoded) and what follows
// it ("/users", "/users/x"); std::nullopt for other paths.
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
    const auto user_prefix = std::string(zoom_api::users_path) + "/";
    const bool create = request.method == "POST" && tail == zoom_api::users_path;
    const bool lookup = request.method == "GET" && tail.starts_with(user_prefix) &&
                        tail.size() > user_prefix.size() &&
                        tail.find('/', user_prefix.size()) == std::string_view::npos;
    if (!create && !lookup)
        return std::nullopt;
    auto account = sub_users_.find(id);
    if (account == sub_users_.end())
        return error_reply(no_such_sub_account(id));
    if (create)
        return create_user(request, today,
                           account_view{account->second, may_create_sub_,
                                        scope_missing_for_sub_account_create(), std::string(path)});
    auto raw = tail.substr(user_prefix.size());
    auto which = percent_decode(raw, false);
    return get_user(which.value_or(std::string(raw)), account->second);
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
