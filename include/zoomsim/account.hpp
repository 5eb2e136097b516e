// One simulated Zoom account (the app's own, or a master account's sub-account): its users,
// groups and memberships, and the invitations of its pending users, answering the Users and
// Groups calls as Zoom's OpenAPI documents them (zoom/users.openapi.json). Where Zoom is
// silent, sim_options chooses among plausible answers (the least helpful by default).
// Accounts share what the simulator owns (account_shared): its options, calendar, user ids,
// the emails of Zoom users elsewhere and the statistics. Not thread-safe: the simulator
// serialises calls. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/create_request.hpp"
#include "zoomsim/daily_cap.hpp"

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

// What tests ask of the calls after a create (GET /_sim/stats), summed over all accounts.
struct account_stats {
    std::int64_t lookups = 0;             // GET /users/{id}
    std::int64_t expired_answers = 0;     // 400/1120 to GET, PATCH or DELETE
    std::int64_t group_lists = 0;         // GET /groups pages served
    std::int64_t user_lists = 0;          // GET /users pages served
    std::int64_t patches = 0;             // PATCH /users/{id} answered 204
    std::int64_t groups_set = 0;          // of those, with a group_id that took effect
    std::int64_t group_id_ignored = 0;    // ... with a group_id for an active user, ignored
    std::int64_t profiles_applied = 0;    // ... with profile fields applied (active users)
    std::int64_t profiles_to_pending = 0; // ... with profile fields for a pending user: dropped
    std::int64_t member_calls = 0;        // POST /groups/{id}/members answered 201
    std::int64_t members_added = 0;       // memberships those calls made
    std::int64_t member_moves = 0;        // PATCH /groups/{id}/members/{id} action=move
    std::int64_t primary_sets = 0;        // ... action=set_primary
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

// What the accounts share, owned by the simulator.
struct account_shared {
    const sim_options& options;
    std::function<utc_time()> now; // the simulator's calendar (its clock plus /_sim/advance)
    std::mt19937_64& ids;
    std::unordered_set<std::string>& elsewhere; // lower-cased emails of users of other accounts
    account_stats& stats;
};

class account {
public:
    struct user {
        std::string id;
        std::string email;
        std::string first_name;
        std::string last_name;
        std::string display_name;
        int type = 1;
        bool pending = false;               // made with action=create: waits for the user to accept
        utc_time created_at;                // Zoom's user_created_at
        std::vector<std::string> group_ids; // the primary group first
        std::map<std::string, std::string> profile; // dept, job_title, ... as applied
    };
    struct group {
        std::string id, name;
    };

    account(account_shared& shared, std::vector<group> groups);

    // Users (account_users.cpp). `which` is an id or an email, percent-decoded.
    // Whether a create for `email` is refused 409/1005: a user holds it (or an expired
    // invitation does, when options choose that answer). A create for an expired invitation
    // otherwise withdraws it, and the new user gets a new id.
    bool email_taken(std::string_view email);
    // A new user, created now or at `created_at`.
    const user& add_user(const new_user& record, bool pending,
                         std::optional<utc_time> created_at = std::nullopt);
    sim_reply get_user(std::string_view which);
    sim_reply update_user(std::string_view which, std::string_view body);
    sim_reply delete_user(std::string_view which, std::string_view query);
    // GET /users?status=&page_size=&next_page_token= (account_user_list.cpp).
    sim_reply list_users(std::string_view query);

    // Groups (account_groups.cpp).
    sim_reply list_groups(std::string_view query);
    sim_reply add_members(std::string_view group_id, std::string_view body);
    sim_reply update_member(std::string_view group_id, std::string_view member_id,
                            std::string_view body);

    // Invitations (account_invitations.cpp): pending users accepting, when they do, and
    // the DELETE faults tests script. activate_all and activate return how many accepted.
    std::int64_t activate_all();
    std::int64_t activate(const std::vector<std::string>& emails);
    // `email` accepts its invitation on `trigger`: "list" (after the `nth` page of GET
    // /users?status=pending from now is served), "get" (as the `nth` GET /users/{id} of it
    // arrives, before it is answered) or "delete" (as the `nth` DELETE of it arrives, before
    // it acts). False for an unknown trigger.
    bool activate_on(std::string_view email, std::string_view trigger, int nth);
    // The next `times` DELETEs of `email` act, then answer the concurrent-request 429
    // ("concurrent-429") or close the connection unanswered ("drop"). False for an unknown
    // fault.
    bool fault_deletes(std::string_view email, std::string_view fault, int times);

    // For /_sim: every user with status, groups and profile; the counts.
    nlohmann::ordered_json users_json() const;
    std::int64_t size() const { return static_cast<std::int64_t>(users_.size()); }
    std::int64_t pending_count() const;
    std::int64_t expired_count() const;
    std::vector<std::string> emails() const; // sorted

private:
    struct trigger {
        std::string kind; // list, get, delete
        int remaining;
    };
    struct delete_fault {
        std::string kind; // concurrent-429, drop
        int remaining;
    };

    user* find_user(std::string_view which);
    bool expired(const user& u) const;
    // Whether `u` is pending with a live invitation (not expired).
    bool invited(const user& u) const { return u.pending && !expired(u); }
    std::string new_user_id();
    void remove_user(const user& u);
    // The answer to a call about `u` whose invitation has expired: 400/1120.
    sim_reply expired_answer();
    void accept(user& u);
    // Runs the triggers of `kind` for `key` (lower-cased email), or for every pending-list
    // trigger when `key` is empty.
    void fire(std::string_view kind, const std::string& key);
    std::optional<std::string> take_delete_fault(const std::string& key);
    // Memberships (account_groups.cpp): group_id of PATCH /users/{id}.
    void set_group_by_patch(user& u, const std::string& group_id);
    void join(user& u, const std::string& group_id);
    const group* find_group(std::string_view id) const;
    std::string group_name(std::string_view id) const;

    account_shared& shared_;
    std::unordered_map<std::string, user> users_;           // by lower-cased email
    std::unordered_map<std::string, std::string> ids_;      // id -> lower-cased email
    std::unordered_set<std::string> withdrawn_invitations_; // ids of expired, re-created users
    std::vector<group> groups_;
    std::multimap<std::string, trigger> triggers_;      // by lower-cased email
    std::map<std::string, delete_fault> delete_faults_; // by lower-cased email
};

// Groups named `names`, in order, each with a fresh id drawn from `random`.
std::vector<account::group> make_groups(const std::vector<std::string>& names,
                                        std::mt19937_64& random);

} // namespace zoomsim
