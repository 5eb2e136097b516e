// The faults and delays zoomsim injects, drawn from one random sequence seeded by
// sim_options::seed so that runs with the same seed and requests behave the same: a
// 500/502/503 with no effect (--fail-rate), a connection closed unanswered with no effect
// (--drop-rate) or after the create acted (--commit-drop-rate), and the delay before every
// answer (--latency-ms, --jitter-ms). Not thread-safe: the simulator serialises calls.
// Throws only std::bad_alloc.
#pragma once

#include "zoomsim/sim_replies.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace zoomsim {

struct sim_options;

class faults {
public:
    struct counts {
        std::int64_t dropped = 0;
        std::int64_t commit_dropped = 0;
        std::int64_t failed_injected = 0;
    };

    explicit faults(const sim_options& options);

    // Before an API call acts: an injected failure or a dropped connection, if one is drawn.
    std::optional<sim_reply> before_call();
    // After a create acted: whether its connection closes unanswered.
    bool drop_after_create();
    // The delay before an answer.
    std::chrono::milliseconds delay();

    const counts& count() const { return counts_; }

private:
    bool roll(double probability);
    sim_reply injected_failure();

    const sim_options& options_;
    std::mt19937_64 random_;
    counts counts_;
};

} // namespace zoomsim
