// One simulated account (the app's own, or a master account's sub-account): its users
// (users/) and its groups (groups/), and the routing of its calls, the path after /v2 or
// /v2/accounts/{accountId}, to them. PATCH /users/{userId} is answered here, for it touches
// both: profile fields for the user directory, group_id for the group directory. POST /users
// is the simulator's (it spends the daily cap). Not thread-safe: the simulator serialises
// calls. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/groups/group_directory.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zoomsim/users/user_directory.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace zoomsim {

class account {
public:
    account(users_shared& users, groups_shared& groups, std::vector<group> named)
        : users_(users), groups_(groups, std::move(named)) {}

    // The call `request` makes, `tail` its path after /v2 or /v2/accounts/{id}; std::nullopt
    // for a call zoomsim does not serve here.
    std::optional<sim_reply> call(const sim_request& request, std::string_view tail);

    user_directory& users() { return users_; }
    const user_directory& users() const { return users_; }
    // Every user with status, groups and profile (GET /_sim/users).
    nlohmann::ordered_json users_json() const;

private:
    sim_reply update_user(std::string_view which, std::string_view body);

    user_directory users_;
    group_directory groups_;
};

} // namespace zoomsim
