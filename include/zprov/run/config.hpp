// What a run is configured with, as plain values: every option resolved once by the
// command line (cli/resolve.hpp), every default applied. The run reads this and nothing else
// of the options.
#pragma once

#include "zprov/run/notify.hpp"
#include "zprov/sheet/user_sheet.hpp"
#include "zprov/zoom/plans.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zprov {

enum class body_format { json, multipart };
enum class progress_mode { automatic, always, never };

// What a run may send, with the defaults filled in.
struct send_limits {
    plan plan_id;
    create_action action;
    double rate;            // requests per second
    std::int64_t daily_cap; // 0: the action has no daily cap
};

inline constexpr plan default_plan = plan::pro; // the option table's --plan default

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

// The sheet at `csv` ("-": standard input), read with the config's action, default user type
// and column map.
user_sheet open_sheet(const std::string& csv, const run_config& config);

} // namespace zprov
