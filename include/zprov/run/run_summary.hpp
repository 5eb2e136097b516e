// The end of a run: its exit code, from why it stopped and what became of the rows; the
// summary document (the journal's "end" record and --summary-json); and the lines the
// operator reads, with the command to rerun. Throws only std::bad_alloc.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/journal/replay.hpp"
#include "zprov/run/run_state.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace zprov {

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

} // namespace zprov
