// The terminal side of a run: log lines, and a progress line that is either live (redrawn in
// place on a terminal) or a plain line every few seconds. Writes to standard error; throws
// only std::bad_alloc.
#pragma once

#include "zprov/base/clock.hpp"
#include "zprov/run/run_state.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace zprov {

class progress_display {
public:
    progress_display(bool live, const run_counters& count, double rate_limit);

    void set_total(std::int64_t total) { total_ = total; } // -1: unknown (standard input)
    // --wait: sleeping through a pause until `until` (std::nullopt: not waiting).
    void set_waiting(std::optional<sys_seconds> until) { waiting_until_ = until; }

    // A line of its own; the live progress line is cleared first.
    void log(const std::string& line);
    void clear();
    // One update: redraws the live line, or prints a plain one.
    void show();
    std::string line() const;

    bool live() const { return live_; }
    std::chrono::milliseconds period() const;

private:
    bool live_;
    bool shown_ = false;
    const run_counters& count_;
    double rate_limit_;
    std::int64_t total_ = -1;
    std::optional<sys_seconds> waiting_until_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

} // namespace zprov
