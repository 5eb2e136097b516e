// One simulated account's users (the app's own account, or a master account's sub-account),
// answering the Users calls as Zoom's OpenAPI documents them (zoom/users.openapi.json): GET,
// DELETE /users/{userId}, GET /users (user_directory_list.cpp), the users POST /users adds;
// the invitations of its pending users (accepting, expiring after
// sim_options::invitation_lifetime) and the DELETE faults tests script. PATCH /users/{userId}
// touches groups too: account.hpp answers it with this directory's update_profile. Where Zoom
// is silent, sim_options chooses among plausible answers (the least helpful by default).
// Not thread-safe: the simulator serialises calls. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/calendar.hpp"
#include "zoomsim/create_request.hpp"
#include "zoomsim/users/invitations.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace zoomsim {

struct sim_options;
struct sim_reply;

struct user {
    std::string id;
    std::string email;
    std::string first_name;
    std::string last_name;
    std::string display_name;
    int type = 1;
    bool pending = false;               // made with action=create: waits for the user to accept
    utc_time created_at;                // Zoom's user_created_at
    std::vector<std::string> group_ids; // the primary group first (groups/ keeps them)
    std::map<std::string, std::string> profile; // dept, job_title, ... as applied
};

// What tests ask of the users after their create (GET /_sim/stats), summed over all accounts.
struct user_stats {
    std::int64_t lookups = 0;             // GET /users/{id}
    std::int64_t expired_answers = 0;     // 400/1120 to GET, PATCH or DELETE
    std::int64_t user_lists = 0;          // GET /users pages served
    std::int64_t patches = 0;             // PATCH /users/{id} answered 204
    std::int64_t profiles_applied = 0;    // ... with profile fields applied (active users)
    std::int64_t profiles_to_pending = 0; // ... with profile fields for a pending user: dropped
    std::int64_t deletes = 0;             // DELETE /users/{id} that removed a user
    std::int64_t deletes_of_pending = 0;  // of those, of a pending user
    std::int64_t deletes_of_active = 0;   // ... of an active user: destructive in Zoom
    std::int64_t delete_misses = 0;       // DELETE /users/{id} answered 404/1001
    std::int64_t delete_faults = 0;       // DELETEs that acted and answered 429 or nothing
    std::int64_t activations = 0;         // pending users that accepted their invitation
    std::map<std::string, std::int64_t> creations_by_email;
    std::map<std::string, std::int64_t> deletions_by_email;
    std::map<std::string, std::int64_t> deletions_by_id;
    // Profile fields sent while the user was pending (each dropped), by email.
    std::map<std::string, std::int64_t> profile_fields_to_pending;
    std::int64_t licensed = 0; // Licensed (type 2) users
};

// What the accounts' user directories share, owned by the simulator.
struct users_shared {
    const sim_options& options;
    const calendar& time;
    std::mt19937_64& ids;
    std::unordered_set<std::string>& elsewhere; // lower-cased emails of users of other accounts
    user_stats& stats;
};

class user_directory {
public:
    explicit user_directory(users_shared& shared) : shared_(shared) {}

    // Whether a create for `email` is refused 409/1005: a user holds it (or an expired
    // invitation does, when options choose that answer). A create for an expired invitation
    // otherwise withdraws it, and the new user gets a new id.
    bool email_taken(std::string_view email);
    // A new user, created now or at `created_at`.
    const user& add_user(const new_user& record, bool pending,
                         std::optional<utc_time> created_at = std::nullopt);

    // `which` is an id or an email, percent-decoded.
    sim_reply get_user(std::string_view which);
    sim_reply delete_user(std::string_view which, std::string_view query);
    // GET /users?status=&page_size=&next_page_token= (user_directory_list.cpp).
    sim_reply list_users(std::string_view query);

    // The user `which` names (an id or an email); nullptr for none.
    user* find(std::string_view which);
    // The answer to a call about a user `which` names that is not here: 400/1120 for an
    // invitation withdrawn when its email was created again, else 404/1001.
    sim_reply missing(std::string_view which);
    // Whether `u`'s invitation has lapsed; then calls about it answer expired_answer().
    bool expired(const user& u) const;
    // Whether `u` is pending with a live invitation (not expired).
    bool invited(const user& u) const { return u.pending && !expired(u); }
    sim_reply expired_answer();
    // PATCH /users/{id}'s profile fields: applied to an active user, answered and dropped for
    // a pending one.
    void update_profile(user& u, std::map<std::string, std::string> profile);
    user_stats& stats() { return shared_.stats; }

    // Invitations: pending users accepting, when they do (invitations.hpp), and the DELETE
    // faults tests script. activate_all and activate return how many accepted; activate_on
    // and fault_deletes are false for an unknown trigger or fault.
    std::int64_t activate_all();
    std::int64_t activate(const std::vector<std::string>& emails);
    bool activate_on(std::string_view email, std::string_view trigger, int nth);
    bool fault_deletes(std::string_view email, std::string_view fault, int times);

    // For /_sim and GET /groups: every user (by lower-cased email) and the counts; the dump
    // GET /_sim/users answers, naming groups by `group_name`.
    const std::unordered_map<std::string, user>& all() const { return users_; }
    nlohmann::ordered_json
    users_json(const std::function<std::string(std::string_view)>& group_name) const;
    std::int64_t size() const { return static_cast<std::int64_t>(users_.size()); }
    std::int64_t pending_count() const;
    std::int64_t expired_count() const;
    std::vector<std::string> emails() const; // sorted

private:
    std::string new_user_id();
    void remove_user(const user& u);
    void accept(user& u);
    // Accepts the invitations whose `kind` trigger fires for `key` (lower-cased email), or
    // for every pending-list trigger when `key` is empty.
    void fire(std::string_view kind, const std::string& key);

    users_shared& shared_;
    std::unordered_map<std::string, user> users_;           // by lower-cased email
    std::unordered_map<std::string, std::string> ids_;      // id -> lower-cased email
    std::unordered_set<std::string> withdrawn_invitations_; // ids of expired, re-created users
    invitations invitations_;
};

} // namespace zoomsim
