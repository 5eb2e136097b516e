// The end of a run, told to the webhooks of --notify: what the run needs of a person
// (notify.hpp's attention), sent to each webhook that has not been told of it yet, or that
// it has cleared; each delivery journaled (a `notified` record) so that a rerun with the
// same problems says nothing. Bounded by --notify-timeout; a delivery that fails is said
// on standard error and tried again by the next run; neither the exit code nor the rows
// change. Throws only std::bad_alloc.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/run/config.hpp"
#include "zprov/run/notify.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/run_state.hpp"

#include <string>

namespace zprov {

// What the run that ended `code` (stopped for `stop`) needs of a person.
attention attention_of(const run_counters& count, const stop_reason& stop, exit_code code,
                       const journal_summary& journal);

// Tells the webhooks of `config.notify`; `report_command` lists every row to fix.
void send_notices(const run_config& config, run_journal& journal, const attention& now,
                  exit_code code, const std::string& csv, const std::string& report_command);

// The pings of --ping: URL/start, then the end for `code` (ping_end_url). Bounded by
// --notify-timeout; a failure is said on standard error and changes nothing else.
// `signal` names the ping in what is said of it ("start", "success", "fail").
void send_ping(const run_config& config, const std::string& url, const std::string& signal);

} // namespace zprov
