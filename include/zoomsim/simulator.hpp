// The simulated Zoom behind zoomsim: the app's account and its sub-accounts (account.hpp),
// the per-second and daily limits, access tokens and their scopes, injected faults, the
// statistics tests read and the record of every exchange (recorder.hpp). It answers one
// HTTP request at a time as plain values, so the server only moves bytes and tests drive it
// with a fake clock. Thread-safe (one mutex). read_email_list, and the constructor when the
// record file cannot be opened, throw std::runtime_error; the rest throws only
// std::bad_alloc.
#pragma once

#include "zoomsim/account.hpp"
#include "zoomsim/create_request.hpp"
#include "zoomsim/daily_cap.hpp"
#include "zoomsim/recorder.hpp"
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
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace zoomsim {

enum class active_group_rule { ignore, replace, add };
enum class expired_create_rule { new_invitation, conflict };

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
    // The daily 429's Retry-After is the day's own 00:00 UTC, already past (a server clock
    // that disagrees with the client's, or an answer just after midnight).
    bool past_daily_retry_after = false;
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
    // The `scope` OAuth answers carry and --access-token holds (space-separated); empty:
    // default_scopes. A call none of whose scopes (zprov/zoom/api.hpp, from the OpenAPI) the
    // token holds is answered 400/4711.
    std::string scopes;
    std::uint64_t seed = 1; // faults and delays are reproducible from it

    // Where Zoom documents nothing, the plausible answers zoomsim can give. Defaults: the
    // least helpful.
    // group_id in PATCH /users/{id} for an active user (documented for pending users only):
    // ignored, or replacing the user's groups, or adding the group.
    active_group_rule active_group_id = active_group_rule::ignore;
    // A create for the email of an expired invitation: a new invitation with a new id, or
    // 409/1005 (and lookups keep answering 1120).
    expired_create_rule expired_create = expired_create_rule::new_invitation;
    std::chrono::days invitation_lifetime = zprov::zoom_api::invitation_lifetime;
    // A new OAuth grant invalidates the previous token (Zoom's rule until 2022); by default
    // every token lives its full time.
    bool single_live_token = false;
    // The guesses zprov's lifecycle relied on before zoomsim followed the OpenAPI; to be
    // removed: pending users carry their id in GET /users lists, created_at is the creation
    // time for pending users too, and a user is in one group at most, the last given (by
    // group_id or POST /groups/{id}/members), pending or active.
    bool pre_openapi_guesses = false;
    // Appends every exchange to this file (recorder.hpp); empty: none.
    std::string record_path;
};

// The scopes a token holds when sim_options::scopes is empty: classic scopes that allow
// every call zoomsim serves.
inline constexpr std::string_view default_scopes =
    "user:read:admin user:write:admin group:read:admin group:write:admin";

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
    std::string_view user_agent = {}; // recorded, to tell zprov's requests from tests'
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
    ~simulator();

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
    struct counters {
        std::int64_t requests_total = 0;
        std::int64_t created = 0;
        std::int64_t conflicts = 0;
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

    sim_reply answer(const sim_request& request, steady_time arrived);
    sim_reply api(const sim_request& request, std::string_view path, steady_time now);
    // Whether the per-second limit of the call's category admits it at `now` (recording
    // it); a 429 (QPS) when it does not.
    std::optional<sim_reply> per_second_refusal(const sim_request& request, std::string_view path,
                                                steady_time now);
    // A 400/4711 when the tokens' scopes allow none of the call's (simulator_accounts.cpp).
    std::optional<sim_reply> scope_refusal(std::string_view method, std::string_view path);
    // The account a call under /v2 is about, and the path after /v2 or /v2/accounts/{id};
    // a 400/2001 reply for an unknown sub-account (simulator_accounts.cpp).
    std::variant<std::pair<account*, std::string_view>, sim_reply>
    account_of(std::string_view path);
    // One account's calls, `tail` the path after /v2 or /v2/accounts/{id}; std::nullopt for
    // a call zoomsim does not serve.
    std::optional<sim_reply> account_call(const sim_request& request, std::string_view tail,
                                          sys_days today, account& in);
    sim_reply create_user(const sim_request& request, sys_days today, account& into);
    sim_reply oauth(const sim_request& request, std::string_view query);
    // zoomsim's own endpoints under /_sim (simulator_sim.cpp).
    sim_reply sim_endpoint(const sim_request& request, std::string_view path);
    sim_reply activate(std::string_view body);
    sim_reply activate_on(std::string_view body);
    sim_reply delete_fault(std::string_view body);
    sim_reply advance(std::string_view body);
    // GET /_sim/calls: when each API request came, by category.
    std::string calls_json() const;
    // The document GET /_sim/users answers: every user with status, groups and profile.
    std::string users_json() const;
    sim_reply daily_refusal(sys_days day);
    sim_reply injected_failure();
    std::string stats_locked();
    void account_stats_json(nlohmann::ordered_json& stats) const;
    utc_time now() const; // the clock's UTC plus /_sim/advance
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
    std::mt19937_64 group_ids_;
    int day_offset_ = 0;                        // POST /_sim/next-day
    std::chrono::seconds calendar_offset_{};    // POST /_sim/advance
    std::unordered_set<std::string> elsewhere_; // lower-cased emails
    account_stats account_stats_;
    account_shared shared_;
    account own_;
    std::map<std::string, account> sub_accounts_; // by id
    std::map<int, std::int64_t> status_counts_;
    std::map<std::string, std::int64_t> calls_by_operation_; // by Zoom's operationId
    counters counts_;
    std::unique_ptr<recorder> recorder_;
};

} // namespace zoomsim
