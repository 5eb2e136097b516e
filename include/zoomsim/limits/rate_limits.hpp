// Zoom's rate limits as zoomsim applies them: the per-second limit of each rate-limit
// category (Light, Medium), each in its own sliding window, answered 429 with
// X-RateLimit-Category and X-RateLimit-Type; the daily cap on action=create (daily_cap.hpp),
// answered 429 with the day's headers and Retry-After, and the quota headers of a 201; and
// what tests read of them: the busiest seconds, the refusals, when each API request came
// (GET /_sim/calls). Times and days come from the caller. Not thread-safe: the simulator
// serialises calls. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/calendar.hpp"
#include "zoomsim/limits/daily_cap.hpp"
#include "zoomsim/limits/sliding_window.hpp"
#include "zoomsim/sim_replies.hpp"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zoomsim {

struct sim_options;

class rate_limits {
public:
    struct counts {
        std::int64_t rate_limited_qps = 0;
        std::int64_t rate_limited_daily = 0;
        std::int64_t requests_after_daily_limit = 0; // creates after the day's 429
    };

    // `started`: where GET /_sim/calls counts from; `today`: the day sim_options::spent_today
    // is spent on.
    rate_limits(const sim_options& options, steady_time started, sys_days today);

    // Counts an API request (`api_path` under /v2) arriving at `now`: a 429 when its
    // category's per-second limit refuses it. A call outside Zoom's call table counts as Light.
    std::optional<sim_reply> per_second_refusal(std::string_view method, std::string_view api_path,
                                                steady_time now);
    // A create arrived on `day` (before its per-second limit): counted when the day's cap was
    // refused already.
    void create_arrived(sys_days day);
    // Spends one of `day`'s creates: a 429 when the day's cap is spent.
    std::optional<sim_reply> daily_refusal(sys_days day);
    // X-RateLimit-Limit and X-RateLimit-Remaining on a 201 for a capped create, unless
    // sim_options::quota_headers is off.
    void add_quota_headers(sim_reply& reply, sys_days day) const;

    // For /_sim/stats and /_sim/calls.
    const counts& count() const { return counts_; }
    const daily_cap& daily() const { return daily_; }
    std::int64_t busiest() const { return seen_.busiest(); } // API requests in one second
    // {"Light": N, "Medium": N}: the limits, the busiest seconds, the per-second 429s.
    nlohmann::ordered_json limits_json() const;
    nlohmann::ordered_json busiest_json() const;
    nlohmann::ordered_json refused_json() const;
    // {"arrivals_ms": {"Light": [...], "Medium": [...]}}: milliseconds since `started`.
    std::string calls_json() const;

private:
    const sim_options& options_;
    // By rate_category: the per-second limit, the requests it let through, every request of
    // the category (for the busiest second), and when each came.
    std::array<std::int64_t, 2> per_second_;
    std::array<sliding_window, 2> admitted_;
    std::array<sliding_window, 2> seen_by_category_;
    std::array<std::vector<std::int64_t>, 2> arrivals_ms_;
    std::array<std::int64_t, 2> refused_by_category_{};
    steady_time started_;
    sliding_window seen_; // every API request, for the busiest second
    daily_cap daily_;
    counts counts_;
};

} // namespace zoomsim
