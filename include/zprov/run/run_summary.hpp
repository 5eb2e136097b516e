// The start and the end of a run as they are told: the first line (or run_start event); the
// exit code, from why the run stopped and what became of the rows; the summary document (the
// journal's "end" record and --summary-json); the lines the operator reads, with the command
// to rerun; the webhooks of --notify. Throws only std::bad_alloc, but for end_run, which
// throws what the journal throws (fatal_error).
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/journal/replay.hpp"
#include "zprov/run/run_state.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace zprov {

class run_journal;
struct run_config;
struct send_limits;

// The run's first line ("Importing users.csv (Pro plan, create, 30 requests/s, ...): N rows to
// send"), or its run_start event with --log-format json. `rows_to_send` -1: not known.
void announce_run(const std::string& csv, const std::string& journal_path,
                  const send_limits& limits, std::int64_t rows_to_send);

struct run_end {
    const run_counters& count;
    stop_reason stop; // why the run stopped, if it did
    const journal_summary& journal;
    std::string csv;
    std::string journal_path;
    std::string rerun; // the command that resumes the run, as typed
    std::int64_t daily_cap = 0;
    double elapsed_seconds = 0;
};

// A stop reason comes first; otherwise failed rows give 69, invalid or rejected rows 1.
exit_code final_exit_code(const stop_reason& stop, const run_counters& count);

nlohmann::json summary_json(const run_end& end, exit_code code);

void print_run_end(std::ostream& out, const run_end& end, exit_code code,
                   const nlohmann::json& summary);

// The run's end, told: the journal's end record; a stop event and the run_end event with
// --log-format json, else print_run_end's lines; the webhooks of --notify; the --summary-json
// file. Returns the run's exit code, or 74 when the summary file cannot be written (the
// run's results are in the journal).
exit_code end_run(const run_end& end, run_journal& journal, const run_config& config);

} // namespace zprov
