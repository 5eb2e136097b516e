// The simulated Zoom behind zoomsim: it owns the app's account and its sub-accounts
// (account.hpp: users/ and groups/), who may call (tokens/), the rate limits (limits/), the
// injected faults (faults.hpp), the calendar, the statistics tests read and the record of
// every exchange (recorder.hpp), and routes each request to them in Zoom's order. It answers
// one HTTP request at a time as plain values, so the server only moves bytes and tests drive
// it with a fake clock. Thread-safe (one mutex). The constructor throws std::runtime_error
// when the record file cannot be opened; the rest throws only std::bad_alloc.
#pragma once

#include "zoomsim/account.hpp"
#include "zoomsim/calendar.hpp"
#include "zoomsim/faults.hpp"
#include "zoomsim/limits/rate_limits.hpp"
#include "zoomsim/options.hpp"
#include "zoomsim/recorder.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zoomsim/tokens/authorization.hpp"

#include <cstdint>
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

namespace zoomsim {

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
        std::int64_t concurrent = 0;
        std::int64_t max_concurrent = 0;
        std::int64_t connections = 0;
        std::int64_t connections_closed_idle = 0;
    };

    sim_reply answer(const sim_request& request, steady_time arrived);
    sim_reply api(const sim_request& request, std::string_view path, steady_time now);
    // POST /users: the seats, the daily cap, then the account's users.
    sim_reply create_user(const sim_request& request, sys_days today, account& into);
    // The account a call under /v2 is about, and the path after /v2 or /v2/accounts/{id};
    // a 400/2001 reply for an unknown sub-account (simulator_accounts.cpp).
    std::variant<std::pair<account*, std::string_view>, sim_reply>
    account_of(std::string_view path);
    // The document GET /_sim/users answers (simulator_accounts.cpp).
    std::string users_json() const;
    // zoomsim's own endpoints under /_sim (simulator_control.cpp).
    sim_reply control(const sim_request& request, std::string_view path);
    sim_reply activate(std::string_view body);
    sim_reply activate_on(std::string_view body);
    sim_reply delete_fault(std::string_view body);
    sim_reply advance(std::string_view body);
    std::string stats_locked();

    std::mutex mutex_;
    sim_options options_;
    calendar calendar_;
    rate_limits limits_;
    authorization access_;
    faults faults_;
    std::mt19937_64 ids_;
    std::mt19937_64 group_ids_;
    std::unordered_set<std::string> elsewhere_; // lower-cased emails
    user_stats user_stats_;
    group_stats group_stats_;
    users_shared users_shared_;
    groups_shared groups_shared_;
    account own_;
    std::map<std::string, account> sub_accounts_; // by id
    std::map<int, std::int64_t> status_counts_;
    std::map<std::string, std::int64_t> calls_by_operation_; // by Zoom's operationId
    counters counts_;
    std::unique_ptr<recorder> recorder_;
};

} // namespace zoomsim
