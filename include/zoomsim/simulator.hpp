// The simulated Zoom account behind zoomsim: its users, the per-second and daily limits,
// access tokens, injected faults and the statistics tests read. It answers one HTTP
// request at a time as plain values, so the server only moves bytes and tests drive it
// with a fake clock. Thread-safe (one mutex). read_email_list throws std::runtime_error
// naming the line; the rest throws only std::bad_alloc.
#pragma once

#include "zoomsim/create_request.hpp"
#include "zoomsim/daily_cap.hpp"
#include "zoomsim/sliding_window.hpp"
#include "zoomsim/token_store.hpp"
#include "zoomsim/zoom_errors.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/plans.hpp"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace zoomsim {

struct sim_options {
    zprov::plan plan = zprov::plan::pro;
    // Requests per sliding second of each rate-limit category, each in its own window; 0:
    // the plan's. A call outside Zoom's call table counts as Light.
    std::int64_t qps = 0;        // Light
    std::int64_t medium_qps = 0; // Medium
    std::int64_t daily_cap = 0;  // action=create per UTC day; 0: the plan's
    // Creates other apps on the account made on the first day: the day starts part spent.
    std::int64_t spent_today = 0;
    // A 201 for action=create carries X-RateLimit-Limit and X-RateLimit-Remaining, as Zoom's
    // have been seen to.
    bool quota_headers = true;
    // Daily 429s carry no X-RateLimit-* headers and no Retry-After, as some of Zoom's have.
    bool bare_daily_429 = false;
    std::string access_token; // accepted forever when not empty
    // Server-to-Server OAuth at /oauth/token, offered when client_id is not empty.
    std::string client_id;
    std::string client_secret;
    std::string account_id;
    std::chrono::seconds token_ttl = zprov::zoom_api::token_lifetime;
    std::chrono::milliseconds latency{0}; // before every answer, uniform in latency +- jitter
    std::chrono::milliseconds jitter{0};
    double fail_rate = 0;              // 500/502/503, no effect
    double drop_rate = 0;              // connection closed unanswered, no effect
    double commit_drop_rate = 0;       // user created, then the connection closed unanswered
    std::vector<std::string> existing; // emails of users that exist from the start
    // Emails of Zoom users of other accounts: creating one answers 409/1005, looking it up
    // here 404/1001.
    std::vector<std::string> elsewhere;
    // Names of the account's groups (GET /groups), in order; each sub-account has groups of
    // the same names, with ids of its own.
    std::vector<std::string> groups;
    // Sub-accounts of the account (a master account's): each has its own users, served at
    // /v2/accounts/{id}/users; other ids are answered 400/2001. Creating users there needs
    // a master scope (user:write:user:master or user:master).
    std::vector<std::string> sub_accounts;
    std::int64_t licensed_seats = -1; // Licensed (type 2) users the account may hold; -1: any
    // The `scope` OAuth answers carry (space-separated); empty: user:write:admin
    // user:read:admin. Without a create scope, POST /users answers 400/4711.
    std::string scopes;
    std::uint64_t seed = 1; // faults and delays are reproducible from it
};

// Where the simulator reads time: a monotonic clock for limits and tokens, UTC for days.
struct sim_clock {
    std::function<steady_time()> steady;
    std::function<utc_time()> utc;
    static sim_clock real();
};

// The parts of an HTTP request the simulator looks at; views into the server's request.
struct sim_request {
    std::string_view method;
    std::string_view target; // path and query
    std::string_view authorization;
    std::string_view content_type;
    std::string_view body;
};

enum class disposition {
    answer,
    drop, // close the connection without answering
};

struct sim_reply {
    disposition what = disposition::answer;
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds delay{0}; // wait this long before answering (or dropping)
    bool counted = true; // false for /_sim: tests looking on are not the client's traffic
};

// Emails of --existing FILE: one a line; blank lines and lines starting with '#' skipped.
std::vector<std::string> read_email_list(const std::string& path);

class simulator {
public:
    explicit simulator(sim_options options, sim_clock clock = sim_clock::real());

    // `arrived`: when the request's first bytes were read, the moment the per-second limits
    // count it (a server passes it; without it the simulator's clock says).
    sim_reply handle(const sim_request& request, std::optional<steady_time> arrived = {});

    // Bracket every counted request from its handling to its answer or drop
    // (max_concurrent_requests).
    void request_started();
    void request_finished();
    // Connections the server accepted, and closed for being idle (connections_total,
    // connections_closed_idle).
    void connection_opened();
    void connection_closed_idle();

    // The document GET /_sim/stats answers.
    std::string stats_json();

private:
    struct user {
        std::string id;
        std::string email;
        std::string first_name;
        std::string last_name;
        std::string display_name;
        int type = 1;
        bool pending = false; // made with action=create: waits for the user to accept
        utc_time created_at;
        std::string group_id;                       // set by PATCH /users/{id}
        std::map<std::string, std::string> profile; // dept, job_title, ... as applied
    };

    struct group {
        std::string id, name;
    };

    // What tests ask of the steps after the create (simulator_groups.cpp).
    struct profile_counters {
        std::int64_t group_lists = 0;         // GET /groups pages served
        std::int64_t patches = 0;             // PATCH /users/{id} answered 204
        std::int64_t groups_set = 0;          // of those, with a group_id
        std::int64_t profiles_applied = 0;    // of those, profile fields applied (active users)
        std::int64_t profiles_to_pending = 0; // profile fields sent to a pending user: dropped
        std::int64_t member_calls = 0;        // POST /groups/{id}/members answered 201
        std::int64_t members_added = 0;       // users those calls put in a group
        std::int64_t deletes = 0;             // DELETE /users/{id} that removed a user
        std::int64_t deletes_of_pending = 0;  // of those, of a pending user
        std::int64_t delete_misses = 0;       // DELETE /users/{id} answered 404/1001
    };

    struct counters {
        std::int64_t requests_total = 0;
        std::int64_t created = 0;
        std::int64_t conflicts = 0;
        std::int64_t lookups = 0;
        std::int64_t seats_refused = 0;
        std::int64_t scope_refused = 0;
        std::int64_t oauth_query_fields = 0; // token requests with fields in the query
        std::int64_t rate_limited_qps = 0;
        std::int64_t rate_limited_daily = 0;
        std::int64_t requests_after_daily_limit = 0;
        std::int64_t token_grants = 0;
        std::int64_t auth_failures = 0;
        std::int64_t dropped = 0;
        std::int64_t commit_dropped = 0;
        std::int64_t failed_injected = 0;
        std::int64_t concurrent = 0;
        std::int64_t max_concurrent = 0;
        std::int64_t connections = 0;
        std::int64_t connections_closed_idle = 0;
    };

    using user_table = std::unordered_map<std::string, user>; // by lower-cased email

    // The account a call is about: its users and groups, whether the tokens may create
    // users there, how it refuses when they may not, and where its users are (under /v2).
    struct account_view {
        user_table& users;
        std::vector<group>& groups;
        bool may_create;
        api_error scope_refusal;
        std::string users_path;
    };

    sim_reply api(const sim_request& request, std::string_view path, steady_time now);
    // Whether the per-second limit of the call's category admits it at `now` (recording
    // it); a 429 (QPS) when it does not.
    std::optional<sim_reply> per_second_refusal(const sim_request& request, std::string_view path,
                                                steady_time now);
    // A call under /v2/accounts/{id}/... (simulator_accounts.cpp): the sub-account's
    // account_call; std::nullopt for a path outside /v2/accounts.
    std::optional<sim_reply> sub_account_call(const sim_request& request, std::string_view path,
                                              sys_days today);
    static bool is_sub_account_create(std::string_view method, std::string_view path);
    account_view own_account();
    // One account's calls, `tail` the path after /v2 or after /v2/accounts/{id}: POST
    // /users, GET, PATCH and DELETE /users/{id}, GET /groups, POST /groups/{id}/members;
    // std::nullopt for another call.
    std::optional<sim_reply> account_call(const sim_request& request, std::string_view tail,
                                          sys_days today, const account_view& in);
    sim_reply create_user(const sim_request& request, sys_days today, const account_view& into);
    sim_reply get_user(std::string_view which, user_table& users);
    sim_reply delete_user(std::string_view which, std::string_view query, user_table& users);
    sim_reply list_groups(std::string_view query, const account_view& in);
    sim_reply update_user(std::string_view which, std::string_view body, const account_view& in);
    sim_reply add_members(std::string_view group_id, std::string_view body, const account_view& in);
    // GET /users?status=...&page_size=N&next_page_token=T (simulator_user_list.cpp).
    sim_reply list_users(std::string_view target, const user_table& users);
    user* find_user(std::string_view which, user_table& users);
    std::vector<group> make_groups();
    // The document GET /_sim/users answers: every user with status, group and profile.
    std::string users_json();
    void profile_stats(nlohmann::ordered_json& stats) const;
    sim_reply oauth(const sim_request& request, std::string_view query);
    sim_reply sim_endpoint(const sim_request& request, std::string_view path);
    sim_reply activate(std::string_view body);
    // GET /_sim/calls: when each API request came, by category.
    std::string calls_json() const;
    std::int64_t pending_users() const;
    sim_reply daily_refusal(sys_days day);
    sim_reply injected_failure();
    user& add_user(const new_user& record, bool pending, user_table& into);
    std::string new_user_id();
    std::string stats_locked();
    nlohmann::ordered_json sub_account_users() const; // {id: [emails, sorted]}
    sys_days today() const;
    bool roll(double probability);
    std::chrono::milliseconds draw_delay();

    std::mutex mutex_;
    sim_options options_;
    sim_clock clock_;
    // By rate_category: the per-second limit, the requests it let through, every request of
    // the category (for the busiest second), and when each came (GET /_sim/calls).
    std::array<std::int64_t, 2> per_second_;
    std::array<sliding_window, 2> admitted_;
    std::array<sliding_window, 2> seen_by_category_;
    std::array<std::vector<std::int64_t>, 2> arrivals_ms_;
    std::array<std::int64_t, 2> rate_limited_by_category_{};
    steady_time started_;
    sliding_window seen_; // every API request, for max_requests_in_one_second
    daily_cap daily_;
    token_store tokens_;
    std::mt19937_64 faults_;
    std::mt19937_64 ids_;
    int day_offset_ = 0;                                    // POST /_sim/next-day
    user_table users_;                                      // the account's own
    std::map<std::string, user_table> sub_users_;           // by sub-account id
    std::map<std::string, std::vector<group>> sub_groups_;  // by sub-account id
    std::unordered_map<std::string, std::string> user_ids_; // id -> lower-cased email
    std::unordered_set<std::string> elsewhere_;             // lower-cased emails
    std::int64_t licensed_ = 0;                             // type 2 users
    bool may_create_ = true;                                // the tokens' scopes allow POST /users
    bool may_create_sub_ = false;                           // ... and POST /accounts/{id}/users
    std::map<std::string, std::int64_t> creations_by_email_;
    std::map<std::string, std::int64_t> deletions_by_email_; // users removed, by email
    std::map<int, std::int64_t> status_counts_;
    counters counts_;
    std::mt19937_64 group_ids_;
    std::vector<group> groups_;
    profile_counters profile_counts_;
    std::int64_t user_lists_ = 0; // GET /users pages served
};

} // namespace zoomsim
