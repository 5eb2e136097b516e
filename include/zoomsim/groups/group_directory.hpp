// One simulated account's groups and its users' memberships, answering the Groups calls as
// Zoom's OpenAPI documents them (zoom/users.openapi.json): GET /groups, POST
// /groups/{groupId}/members, PATCH /groups/{groupId}/members/{memberId}, and the group_id
// of PATCH /users/{userId}. Memberships live on the users (user::group_ids, the primary
// first); this directory's calls find the users in the account's user directory. Not
// thread-safe: the simulator serialises calls. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/calendar.hpp"
#include "zoomsim/users/user_directory.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace zoomsim {

struct sim_options;
struct sim_reply;

struct group {
    std::string id, name;
};

// Groups named `names`, in order, each with a fresh id drawn from `random`.
std::vector<group> make_groups(const std::vector<std::string>& names, std::mt19937_64& random);

// What tests ask of the groups (GET /_sim/stats), summed over all accounts.
struct group_stats {
    std::int64_t group_lists = 0;      // GET /groups pages served
    std::int64_t groups_set = 0;       // PATCH /users/{id} with a group_id that took effect
    std::int64_t group_id_ignored = 0; // ... with a group_id for an active user, ignored
    std::int64_t member_calls = 0;     // POST /groups/{id}/members answered 201
    std::int64_t members_added = 0;    // memberships those calls made
    std::int64_t member_moves = 0;     // PATCH /groups/{id}/members/{id} action=move
    std::int64_t primary_sets = 0;     // ... action=set_primary
};

// What the accounts' group directories share, owned by the simulator.
struct groups_shared {
    const sim_options& options;
    const calendar& time;
    group_stats& stats;
};

class group_directory {
public:
    group_directory(groups_shared& shared, std::vector<group> groups)
        : shared_(shared), groups_(std::move(groups)) {}

    sim_reply list_groups(std::string_view query, const user_directory& users);
    sim_reply add_members(std::string_view group_id, std::string_view body, user_directory& users);
    sim_reply update_member(std::string_view group_id, std::string_view member_id,
                            std::string_view body, user_directory& users);

    // group_id of PATCH /users/{id}: documented for pending users, whom it adds to the group;
    // for an active user sim_options::active_group_id says.
    void set_group_by_patch(user& u, const std::string& group_id);

    const group* find(std::string_view id) const;
    // The name of the group `id`; empty for none.
    std::string name_of(std::string_view id) const;

private:
    void join(user& u, const std::string& group_id);

    groups_shared& shared_;
    std::vector<group> groups_;
};

} // namespace zoomsim
