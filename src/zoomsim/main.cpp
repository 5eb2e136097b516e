// zoomsim: a local stand-in for Zoom's Users and Groups APIs (POST and GET /v2/users, GET,
// PATCH and DELETE /v2/users/{id}, GET /v2/groups, POST /v2/groups/{id}/members, PATCH
// /v2/groups/{id}/members/{id}, the same under /v2/accounts/{id} for sub-accounts, POST
// /oauth/token) for tests, the demo and benchmarks. This file parses the command line, builds
// the simulator and the server, and maps errors to exit codes.
#include "zoomsim/server.hpp"
#include "zoomsim/simulator.hpp"
#include "zoomsim/startup_error.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/plans.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace zoomsim;

constexpr const char* endpoints = R"(
Endpoints (as Zoom's OpenAPI documents them):
  POST /v2/users           create a user (application/json or multipart/form-data)
  GET  /v2/users           list users: ?status=active|inactive|pending, page_size (at most
                           2000), next_page_token; pending users carry no id
  GET  /v2/users/{email|id}  a pending user's created_at is the time of the call
  PATCH /v2/users/{id}     profile fields and group_id (204; a pending user's profile is
                           dropped; group_id adds a pending user to a group, and for an
                           active user does what --active-group-id says)
  DELETE /v2/users/{id}    ?action=disassociate (default; the way to remove a pending user)
                           or ?action=delete (204)
  GET  /v2/groups          the --groups, paged (page_size, next_page_token)
  POST /v2/groups/{id}/members  {"members": [{"id"|"email": ...}]}, at most 30 (201);
                           additive, the first group a user joins is the primary
  PATCH /v2/groups/{id}/members/{userId}  {"action": "move", "target_group_id": G} or
                           {"action": "set_primary"} (204; 404/4130, 404/4131)
  /v2/accounts/{id}/...    the same calls in a --sub-account, with its own users and groups
  POST /oauth/token        grant_type=account_credentials&account_id=..., Basic auth
Every call needs one of its scopes (Zoom's x-macro-scopes or x-granular-scopes): 400/4711.
An invitation expires --invitation-days after its create: the user leaves the pending list
and GET, PATCH and DELETE answer 400/1120.
Control endpoints (no auth, not counted, about the app's own account):
  GET  /_sim/stats         counters for tests
  GET  /_sim/users         every user with names, status, groups, primary group and
                           profile
  GET  /_sim/calls         when each API request came (ms), by rate-limit category
  POST /_sim/next-day      start a new UTC day for the caps
  POST /_sim/advance       {"days": D, "seconds": S}: move the calendar (creation times,
                           invitation expiry, the UTC day) forward
  POST /_sim/activate      pending users accept their invitations: {"emails": [...]} or
                           {"all": true}
  POST /_sim/activate-on   {"email": E, "on": "list"|"get"|"delete", "nth": N}: E accepts
                           after the Nth pending-list page from now, or as its Nth GET or
                           DELETE arrives (before it is answered)
  POST /_sim/delete-fault  {"email": E, "fault": "concurrent-429"|"drop", "times": N}: the
                           next N DELETEs of E act, then answer 429 ("A request to
                           disassociate this user has already been made.") or nothing
)";

// "4/30/80": one figure per plan, in the plan table's order.
template <class Figure>
std::string per_plan(Figure figure) {
    std::string out;
    for (const auto& limits : zprov::plan_table()) {
        if (!out.empty())
            out += '/';
        out += std::to_string(static_cast<std::int64_t>(figure(limits)));
    }
    return out;
}

std::string light_rates() {
    return per_plan([](const auto& limits) { return limits.requests_per_second; });
}

std::string medium_rates() {
    return per_plan([](const auto& limits) { return limits.medium_per_second; });
}

std::string daily_caps() {
    return per_plan([](const auto& limits) { return limits.daily_create_cap; });
}

std::vector<std::string> plan_names() {
    std::vector<std::string> names;
    for (const auto& limits : zprov::plan_table())
        names.emplace_back(limits.name);
    return names;
}

std::string overview() {
    return "zoomsim answers like Zoom's Users API, on 127.0.0.1 by default, until SIGINT or\n"
           "SIGTERM. It enforces Zoom's per-second limits, each category in its own\n"
           "one-second window (Light: " +
           light_rates() + ", Medium: " + medium_rates() +
           " per second by plan),\n"
           "and the daily cap on action=create (" +
           daily_caps() +
           " per UTC day), validates\n"
           "bodies as Zoom does, and can inject latency and faults reproducibly.\n" +
           endpoints;
}

struct arguments {
    server_options server;
    sim_options sim;
    std::string plan_name = "pro";
    std::int64_t token_ttl = zprov::zoom_api::token_lifetime.count();
    std::int64_t latency_ms = 0;
    std::int64_t jitter_ms = 0;
    std::int64_t idle_close = 0;
    std::string existing;
    std::string elsewhere;
    std::uint64_t seed = 0;
    bool no_quota_headers = false;
    std::int64_t invitation_days = zprov::zoom_api::invitation_lifetime.count();
    std::string active_group_id = "ignore";
    std::string expired_create = "new-id";
};

const std::map<std::string, active_group_rule> active_group_rules{
    {"ignore", active_group_rule::ignore},
    {"replace", active_group_rule::replace},
    {"add", active_group_rule::add}};
const std::map<std::string, expired_create_rule> expired_create_rules{
    {"new-id", expired_create_rule::new_invitation}, {"conflict", expired_create_rule::conflict}};

template <class Rule>
std::vector<std::string> names_of(const std::map<std::string, Rule>& rules) {
    std::vector<std::string> names;
    for (const auto& [name, rule] : rules)
        names.push_back(name);
    return names;
}

void add_options(CLI::App& app, arguments& args) {
    app.add_option("--listen", args.server.listen, "address to listen on (default 127.0.0.1)");
    app.add_option("--port", args.server.port, "port to listen on; 0 picks a free one (default 0)");
    app.add_option("--port-file", args.server.port_file,
                   "write the bound port to FILE (atomically) once accepting connections; "
                   "removed on exit");
    app.add_option("--plan", args.plan_name,
                   "account plan: sets the per-second limit and daily create cap (default pro)")
        ->check(CLI::IsMember(plan_names()));
    app.add_option("--qps", args.sim.qps,
                   "Light requests per sliding second before 429 (default: the plan's " +
                       light_rates() + ")")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    app.add_option("--medium-qps", args.sim.medium_qps,
                   "Medium requests (GET /users lists, GET /groups, group members) per sliding "
                   "second before 429 (default: the plan's " +
                       medium_rates() + ")")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    app.add_option("--daily-cap", args.sim.daily_cap,
                   "action=create requests per UTC day before 429 (default: the plan's "
                   "50/1500/10000)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    app.add_option("--spent-today", args.sim.spent_today,
                   "creates other apps made today: the day's cap starts this far spent "
                   "(default 0)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
    app.add_flag("--no-quota-headers", args.no_quota_headers,
                 "a 201 for action=create carries no X-RateLimit-Limit and "
                 "X-RateLimit-Remaining (by default it does, as Zoom's do)");
    app.add_flag("--bare-daily-429", args.sim.bare_daily_429,
                 "daily-cap 429s carry no X-RateLimit-* headers and no Retry-After, only the "
                 "message");
    app.add_flag("--past-daily-retry-after", args.sim.past_daily_retry_after,
                 "a daily-cap 429's Retry-After is the day's own 00:00 UTC, already past (a "
                 "server clock behind the client's, or an answer just after midnight)");
    app.add_option("--access-token", args.sim.access_token,
                   "a bearer token accepted forever (besides those from /oauth/token)");
    auto* client_id = app.add_option("--client-id", args.sim.client_id,
                                     "Server-to-Server OAuth client id for /oauth/token");
    auto* client_secret =
        app.add_option("--client-secret", args.sim.client_secret, "its client secret");
    auto* account_id = app.add_option("--account-id", args.sim.account_id, "its account id");
    client_id->needs(client_secret, account_id);
    client_secret->needs(client_id);
    account_id->needs(client_id);
    app.add_option("--token-ttl", args.token_ttl,
                   "seconds an OAuth token lives (default: Zoom's 3600)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    app.add_flag("--single-live-token", args.sim.single_live_token,
                 "a new OAuth grant invalidates the previous token, as Zoom did until 2022 (by "
                 "default several tokens live side by side, as Zoom now allows)");
    auto* cert = app.add_option("--tls-cert", args.server.tls_cert,
                                "PEM certificate chain: serve TLS (and plain HTTP) on the port")
                     ->check(CLI::ExistingFile);
    auto* key = app.add_option("--tls-key", args.server.tls_key, "PEM private key of --tls-cert")
                    ->check(CLI::ExistingFile);
    cert->needs(key);
    key->needs(cert);
    app.add_option("--latency-ms", args.latency_ms, "delay before every API answer (default 0)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{600'000}));
    app.add_option("--jitter-ms", args.jitter_ms,
                   "the delay varies uniformly by +- this much (never below 0)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{600'000}));
    app.add_option("--fail-rate", args.sim.fail_rate,
                   "probability (0-1) of answering an API request 500/502/503, with no effect")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--drop-rate", args.sim.drop_rate,
                   "probability (0-1) of closing the connection without answering, with no "
                   "effect")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--commit-drop-rate", args.sim.commit_drop_rate,
                   "probability (0-1) of creating the user, then closing without answering")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--existing", args.existing,
                   "file of emails (one a line) that already exist: creating them gives 409")
        ->check(CLI::ExistingFile);
    app.add_option("--elsewhere", args.elsewhere,
                   "file of emails (one a line) of Zoom users in other accounts: creating them "
                   "gives 409/1005, looking them up here 404/1001")
        ->check(CLI::ExistingFile);
    app.add_option("--groups", args.sim.groups,
                   "the account's groups, comma-separated names (GET /v2/groups)")
        ->delimiter(',');
    app.add_option("--sub-account", args.sim.sub_accounts,
                   "a sub-account id (repeatable): POST/GET /v2/accounts/{id}/users serve its own "
                   "users; other ids answer 400/2001; creating there needs the scope "
                   "user:write:user:master or user:master");
    app.add_option("--licensed-seats", args.sim.licensed_seats,
                   "Licensed (type 2) users the account may hold; more are refused 400/2034 "
                   "(default: no limit)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
    app.add_option("--scopes", args.sim.scopes,
                   "the scopes the tokens hold (OAuth answers carry them), space-separated "
                   "(default " +
                       std::string(default_scopes) +
                       "); a call none of whose scopes the token holds answers 400/4711");
    app.add_option("--invitation-days", args.invitation_days,
                   "days an invitation (action=create) stays valid; then the user leaves the "
                   "pending list and GET, PATCH and DELETE answer 400/1120 (default 30)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{3650}));
    app.add_option("--active-group-id", args.active_group_id,
                   "what group_id in PATCH /users/{id} does to an active user, which Zoom does not "
                   "document: ignore (default), replace (the user's groups become that one) or "
                   "add (the group is added)")
        ->check(CLI::IsMember(names_of(active_group_rules)));
    app.add_option("--expired-create", args.expired_create,
                   "a create for the email of an expired invitation, which Zoom does not "
                   "document: new-id (default: a new invitation, a new user id) or conflict "
                   "(409/1005, and lookups keep answering 1120)")
        ->check(CLI::IsMember(names_of(expired_create_rules)));
    app.add_option("--record", args.sim.record_path,
                   "append every exchange to FILE as JSON lines (method, target, bodies, "
                   "status; never the Authorization header, and no bodies for OAuth), for the "
                   "contract check against Zoom's OpenAPI");
    app.add_option("--seed", args.seed,
                   "seed for faults, latency and ids (default: random); runs with the same seed "
                   "and requests behave the same");
    app.add_option("--threads", args.server.threads, "threads serving connections (default 1)")
        ->check(CLI::Range(1u, 64u));
    app.add_flag("--realtime", args.server.realtime,
                 "serve under the real-time scheduler (SCHED_FIFO; needs root or CAP_SYS_NICE), so "
                 "that a busy machine cannot delay reading requests: arrivals are timed, and "
                 "counted against the per-second limits, as they happen");
    app.add_option("--idle-close", args.idle_close,
                   "close a connection on which no request begins within N seconds (a TCP "
                   "close, no TLS close_notify), as load balancers do (default: 30)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{3600}));
}

int run(arguments& args) {
    args.sim.plan = zprov::parse_plan(args.plan_name).value_or(zprov::plan::pro);
    args.sim.token_ttl = std::chrono::seconds{args.token_ttl};
    args.sim.latency = std::chrono::milliseconds{args.latency_ms};
    args.sim.jitter = std::chrono::milliseconds{args.jitter_ms};
    args.sim.seed = args.seed;
    args.sim.quota_headers = !args.no_quota_headers;
    args.sim.invitation_lifetime = std::chrono::days{args.invitation_days};
    args.sim.active_group_id = active_group_rules.at(args.active_group_id);
    args.sim.expired_create = expired_create_rules.at(args.expired_create);
    args.server.idle_close = std::chrono::seconds{args.idle_close};
    if (!args.existing.empty()) {
        try {
            args.sim.existing = read_email_list(args.existing);
        } catch (const std::runtime_error& e) {
            throw startup_error(exit_status::config, std::string("--existing ") + e.what());
        }
    }
    if (!args.elsewhere.empty()) {
        try {
            args.sim.elsewhere = read_email_list(args.elsewhere);
        } catch (const std::runtime_error& e) {
            throw startup_error(exit_status::config, std::string("--elsewhere ") + e.what());
        }
    }
    std::unique_ptr<simulator> sim;
    try {
        sim = std::make_unique<simulator>(std::move(args.sim));
    } catch (const std::runtime_error& e) {
        throw startup_error(exit_status::config, std::string("--record ") + e.what());
    }
    serve(args.server, *sim);
    return to_int(exit_status::ok);
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{overview(), "zoomsim"};
    app.footer("Exit codes: 0 stopped by SIGINT or SIGTERM, 64 usage error, 69 cannot listen, "
               "78 unusable --existing, --tls-cert, --tls-key or --record.");
    arguments args;
    add_options(app, args);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        std::cerr << "Run 'zoomsim --help' for usage.\n";
        return to_int(exit_status::usage);
    }
    if (app.count("--seed") == 0)
        args.seed = std::random_device{}();

    try {
        return run(args);
    } catch (const startup_error& e) {
        std::cerr << "zoomsim: " << e.what() << "\n";
        return to_int(e.status());
    } catch (const std::exception& e) {
        std::cerr << "zoomsim: internal error: " << e.what() << "\n";
        return to_int(exit_status::unavailable);
    }
}
