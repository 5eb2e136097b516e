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

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
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
    std::int64_t qps = 0;       // API requests per sliding second; 0: the plan's
    std::int64_t daily_cap = 0; // action=create per UTC day; 0: the plan's
    std::string access_token;   // accepted forever when not empty
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

    sim_reply handle(const sim_request& request);

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

    sim_reply api(const sim_request& request, std::string_view path);
    sim_reply create_user(const sim_request& request, sys_days today);
    sim_reply get_user(std::string_view which);
    sim_reply oauth(const sim_request& request, std::string_view query);
    sim_reply sim_endpoint(std::string_view method, std::string_view path);
    sim_reply injected_failure();
    user& add_user(const new_user& record, bool pending);
    std::string new_user_id();
    std::string stats_locked();
    sys_days today() const;
    bool roll(double probability);
    std::chrono::milliseconds draw_delay();

    std::mutex mutex_;
    sim_options options_;
    sim_clock clock_;
    std::int64_t qps_;
    sliding_window admitted_; // API requests let through the per-second limit
    sliding_window seen_;     // every API request, for max_requests_in_one_second
    daily_cap daily_;
    token_store tokens_;
    std::mt19937_64 faults_;
    std::mt19937_64 ids_;
    int day_offset_ = 0;                                    // POST /_sim/next-day
    std::unordered_map<std::string, user> users_;           // by lower-cased email
    std::unordered_map<std::string, std::string> user_ids_; // id -> lower-cased email
    std::unordered_set<std::string> elsewhere_;             // lower-cased emails
    std::int64_t licensed_ = 0;                             // type 2 users
    bool may_create_ = true;                                // the tokens' scopes allow POST /users
    std::map<std::string, std::int64_t> creations_by_email_;
    std::map<int, std::int64_t> status_counts_;
    counters counts_;
};

} // namespace zoomsim
