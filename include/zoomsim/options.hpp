// The simulator's options: the plan and its limits, the account's users, groups and
// sub-accounts, credentials and scopes, injected faults and delays, and, where Zoom documents
// nothing, which of the plausible answers zoomsim gives. Plain values; zoomsim's --help
// describes each. Throws nothing.
#pragma once

#include "zprov/zoom/api.hpp"
#include "zprov/zoom/plans.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
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
    // Appends every exchange to this file (recorder.hpp); empty: none.
    std::string record_path;
};

// The scopes a token holds when sim_options::scopes is empty: classic scopes that allow
// every call zoomsim serves.
inline constexpr std::string_view default_scopes =
    "user:read:admin user:write:admin group:read:admin group:write:admin";

} // namespace zoomsim
