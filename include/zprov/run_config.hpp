// The settings a command runs with, resolved once: the config file and the command line
// (settings.hpp) with every default of the option table applied, the plan's rate and daily
// cap filled in and the journal's path chosen. Plain values: nothing downstream decides a
// default again (tests/test_run_config.cpp holds the sources to that). Throws nothing but
// std::bad_alloc; open_sheet throws what user_sheet throws.
#pragma once

#include "zprov/notify.hpp"
#include "zprov/settings.hpp"
#include "zprov/user_sheet.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

struct run_config {
    send_limits limits{}; // plan, action, rate, daily cap (0: the action has none)
    int type = 0;         // user type where the CSV gives none
    csv_format format{};  // how the sheet is read: --encoding and --delimiter
    // The CSV's path + ".journal" unless --journal says otherwise; empty only for a CSV read
    // from standard input without --journal.
    std::string journal;
    std::string base_url, oauth_url; // ZoomGov's when --zoomgov and not given
    // Not a default but a choice of source: set (even empty, no proxy) by --proxy; unset,
    // each endpoint's proxy comes from the environment by curl's rules (proxy.hpp).
    std::optional<std::string> proxy;
    std::string account_id; // empty: the app's own account
    std::string ca_file;    // empty: the system store only
    // A path given (even empty, which cannot be written: the run then ends 74), or none.
    std::optional<std::string> summary_json;
    int concurrency = 0;
    int max_attempts = 0;
    int stale_after = 0; // days
    int max_reinvites = 0;
    body_format body = body_format::json;
    progress_mode progress = progress_mode::automatic;
    bool wait = false;
    bool wait_for_account = false;
    bool retry_failed = false;
    bool update_existing = false;
    bool clear_pause = false;
    bool dry_run = false;
    bool reinvite = false;
    std::vector<std::string> notify; // webhook URLs, in the order given
    notify_format notify_as = notify_format::automatic;
    int notify_timeout = 0; // seconds, for the deliveries of a run's end
    std::string ping;       // empty: none
    bool json_log = false;  // --log-format json
    column_map columns;
};

// `given` (config file and command line, laid over each other) with every default applied;
// `csv` is the sheet's path ("-": standard input), which the journal's default follows.
run_config resolve(settings given, const std::string& csv);

// The values of a repeatable option (option_spec::repeatable), one per line, empty ones left
// out.
std::vector<std::string> repeated_values(std::string_view lines);

// The journal path for a CSV when --journal is not given.
std::string default_journal_path(const std::string& csv);

// The sheet at `csv` ("-": standard input), read with the config's action, default user type
// and column map.
user_sheet open_sheet(const std::string& csv, const run_config& config);

} // namespace zprov
