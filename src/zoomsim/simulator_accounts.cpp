// Which account a call is about: the app's own under /v2, a master account's sub-accounts
// under /v2/accounts/{accountId} mirroring it, each sub-account with its own users and
// groups.
#include "zoomsim/simulator.hpp"

#include "zoomsim/form.hpp"

#include <nlohmann/json.hpp>

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
} // namespace

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

std::string simulator::users_json() const {
    nlohmann::ordered_json subs = nlohmann::ordered_json::object();
    for (const auto& [id, sub] : sub_accounts_)
        subs[id] = sub.users_json();
    return nlohmann::ordered_json{{"users", own_.users_json()}, {"sub_accounts", std::move(subs)}}
        .dump();
}

} // namespace zoomsim
