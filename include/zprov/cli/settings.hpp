// The options of `zprov run` and `zprov validate`, as read from a JSON config file (comments
// allowed) and from the command line; the command line wins. Keys are the long option
// names ("base-url", "daily-cap", ...) plus "columns", a map from CSV header to field.
//
// Each option is declared once, in option_table.hpp; this module reads the config file
// and lays settings over each other. parse_config / load_config throw fatal_error with
// exit_code::config, naming the file and the key, for unknown keys, wrong types,
// out-of-range or non-finite values, malformed JSON, files too large to be a config, and
// credentials (which are read from the environment only). Keys given twice are warnings.
#pragma once

#include "zprov/run/config.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

struct settings {
    std::optional<std::string> journal;
    std::optional<plan> plan_id;
    std::optional<create_action> action;
    std::optional<int> type;
    std::optional<std::string> base_url;
    std::optional<std::string> oauth_url;
    std::optional<bool> zoomgov;           // ZoomGov's hosts where base_url / oauth_url are unset
    std::optional<std::string> proxy;      // set (even empty): wins over HTTPS_PROXY
    std::optional<std::string> account_id; // a sub-account of the app's master account
    std::optional<std::string> ca_file;
    std::optional<int> concurrency;
    std::optional<double> rate;
    std::optional<std::int64_t> daily_cap;
    std::optional<body_format> body;
    std::optional<bool> wait;
    std::optional<bool> wait_for_account; // another run holds the account: wait, not stop
    std::optional<bool> retry_failed;
    std::optional<bool> update_existing;
    std::optional<bool> clear_pause;
    std::optional<bool> dry_run;
    std::optional<std::string> summary_json;
    std::optional<progress_mode> progress;
    std::optional<int> max_attempts;
    std::optional<int> stale_after;   // days pending before an invitation counts as stale
    std::optional<bool> reinvite;     // delete and create again the stale invitations
    std::optional<int> max_reinvites; // per run
    std::optional<csv_encoding> encoding;
    std::optional<csv_delimiter> delimiter;
    std::optional<std::string> notify;        // webhook URLs, one per line (repeatable option)
    std::optional<std::string> notify_format; // auto|slack|teams|json
    std::optional<int> notify_timeout;        // seconds
    std::optional<std::string> ping;          // a Healthchecks-style URL
    std::optional<std::string> log_format;    // human|json
    column_map columns;
};

// Value ranges shared by the config file and the command line.
struct setting_limits {
    static constexpr int concurrency_min = 1;
    static constexpr int concurrency_max = 256;
    static constexpr int max_attempts_min = 1;
    static constexpr int max_attempts_max = 100;
    static constexpr int stale_after_min = 1;
    static constexpr int stale_after_max = 3650;
    static constexpr int max_reinvites_min = 0;
    static constexpr int max_reinvites_max = 1'000'000;
    static constexpr double rate_min = 0.01;
    static constexpr double rate_max = 1000.0;
    static constexpr std::int64_t daily_cap_min = 1;
    static constexpr std::int64_t daily_cap_max = 10'000'000;
    static constexpr int notify_timeout_min = 1;
    static constexpr int notify_timeout_max = 300;
    static constexpr std::size_t config_bytes_max = 1 << 20; // a config file is a few KB
};

// Receives warnings (without a "zprov: warning: " prefix); an empty one prints them to
// standard error.
using warning_sink = std::function<void(const std::string&)>;

settings parse_config(std::string_view text, const std::string& file_name,
                      const warning_sink& warn = {});
settings load_config(const std::string& path, const warning_sink& warn = {});

// Fields set in `top` replace those of `base`; columns are merged, `top` winning.
void overlay(settings& base, const settings& top);

// Fills every option that has a default and is unset: the table's defaults, then the
// plan's rate and daily cap. The journal's default depends on the CSV (import.hpp).
void apply_defaults(settings& s);

// Values that are accepted but will not do what they seem to (a daily cap above the
// plan's, which Zoom enforces anyway).
std::vector<std::string> setting_warnings(const settings& s);

// Where credentials come from, for help texts and messages.
std::string credential_variables();
std::optional<body_format> parse_body_format(std::string_view s);
std::optional<progress_mode> parse_progress_mode(std::string_view s);

} // namespace zprov

namespace zprov {

send_limits resolve_limits(const settings& s);

} // namespace zprov
