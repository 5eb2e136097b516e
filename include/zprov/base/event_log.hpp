// Standard error as log shippers read it (--log-format json): one JSON object per line,
// {"time": ISO 8601 UTC, "event": NAME, ...}. A run's events (run_start, row, pause, stop,
// run_end, notified, ping) are written whole by log_event; every other line any module
// writes to std::cerr becomes a "message" event ({"level": "info"|"warning"|"error",
// "text": the line}), so that no line of standard error is anything but JSON. Human
// output (the default) is untouched: log_event then does nothing. Safe to call from any
// thread. Throws only std::bad_alloc.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string_view>

namespace zprov {

// From now on, std::cerr carries JSON lines (for the rest of the process).
void start_json_log();
bool json_log();

// Writes {"time", "event": `event`, ...`fields`} as one line, when the log is JSON.
void log_event(std::string_view event, const nlohmann::json& fields);

} // namespace zprov
