#include "zprov/cli/option_table.hpp"

#include "zprov/base/name_table.hpp"
#include "zprov/journal/invitations.hpp"
#include "zprov/run/import.hpp"
#include "zprov/run/notify.hpp"
#include "zprov/sheet/validation.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace zprov {

namespace {

// Spellings parse_plan also takes: Zoom's own name for the top plan, and Enterprise, which
// has Business+'s limits.
constexpr std::array<std::string_view, 2> plan_aliases{"business+", "enterprise"};

template <class Table>
std::vector<std::string> names_of(const Table& table) {
    std::vector<std::string> out;
    for (const auto& row : table)
        out.emplace_back(row.name);
    return out;
}

std::vector<std::string> spellings(std::span<const std::string_view> names) {
    return {names.begin(), names.end()};
}

std::string number_text(double x) {
    if (x == std::floor(x))
        return std::to_string(static_cast<std::int64_t>(x));
    std::string s = std::to_string(x);
    while (s.back() == '0')
        s.pop_back();
    return s;
}

option_spec base_option(std::string name, std::string value_name, std::string help, value_kind kind,
                        unsigned commands, setting_member member) {
    option_spec o;
    o.name = std::move(name);
    o.value_name = std::move(value_name);
    o.help = std::move(help);
    o.kind = kind;
    o.commands = commands;
    o.member = member;
    return o;
}

option_spec text_option(std::string name, std::string value_name, std::string help,
                        unsigned commands, setting_of<std::string> member) {
    auto o = base_option(std::move(name), std::move(value_name), std::move(help), value_kind::text,
                         commands, member);
    o.expected = "a string";
    return o;
}

option_spec flag_option(std::string name, std::string help, setting_of<bool> member) {
    auto o = base_option(std::move(name), "", std::move(help), value_kind::flag, for_run, member);
    o.expected = "true or false";
    o.default_value = "false";
    return o;
}

option_spec range_option(std::string name, std::string help, unsigned commands,
                         setting_member member, double min, double max) {
    const bool whole = !std::holds_alternative<setting_of<double>>(member);
    auto o = base_option(std::move(name), "N", std::move(help),
                         whole ? value_kind::integer : value_kind::number, commands, member);
    o.min = min;
    o.max = max;
    o.expected = std::string(whole ? "an integer" : "a number") + " from " + number_text(min) +
                 " to " + number_text(max);
    return o;
}

// `shown` are the spellings help and messages list; `also_accepted` are taken too.
option_spec choice_option(std::string name, std::string help, unsigned commands,
                          setting_member member, std::vector<std::string> shown,
                          std::vector<std::string> also_accepted = {}) {
    std::string joined;
    for (const auto& c : shown)
        joined += (joined.empty() ? "" : "|") + c;
    auto o =
        base_option(std::move(name), joined, std::move(help), value_kind::choice, commands, member);
    o.expected = "one of " + joined;
    o.choices = std::move(shown);
    o.choices.insert(o.choices.end(), also_accepted.begin(), also_accepted.end());
    return o;
}

option_spec with_default(option_spec o, std::string value) {
    o.default_value = std::move(value);
    return o;
}

option_spec repeatable(option_spec o) {
    o.repeatable = true;
    o.expected = "a string, or (in a config file) an array of strings";
    return o;
}

option_spec with_note(option_spec o, std::string note) {
    o.default_note = std::move(note);
    return o;
}

// The actions that allow what `allows` says, as "a or b".
template <class Flag>
std::string actions_that(Flag allows) {
    std::string out;
    for (const auto& a : action_table())
        if (allows(a))
            out += (out.empty() ? "" : " or ") + std::string(a.name);
    return out;
}

std::string action_help() {
    return "how users are created: " +
           actions_that([](const action_info& a) { return a.daily_capped; }) +
           " sends an activation email and counts against the daily cap; " +
           actions_that([](const action_info& a) { return a.sends_password; }) +
           " takes a password column";
}

std::vector<option_spec> csv_command_options() {
    std::vector<std::string> type_numbers;
    std::string type_help;
    std::string deprecated;
    for (const auto& t : user_type_table()) {
        if (t.deprecated) { // refused, with the reason, by the option's error message
            deprecated += "; " + deprecated_type_reason(t.number);
            continue;
        }
        type_numbers.push_back(std::to_string(t.number));
        type_help +=
            (type_help.empty() ? "" : ", ") + type_numbers.back() + " " + std::string(t.name);
    }
    std::vector<std::string> aliases(plan_aliases.begin(), plan_aliases.end());
    auto type = choice_option(
        "type", "user type where the CSV has no type column or an empty cell: " + type_help,
        for_both, &settings::type, type_numbers);
    type.expected = "a user type: " + user_type_names(false) + deprecated;
    return {
        with_default(choice_option("plan",
                                   "the Zoom account's plan, which sets the per-second limit and "
                                   "the daily create cap; business+ and enterprise mean business",
                                   for_both, &settings::plan_id, names_of(plan_table()), aliases),
                     std::string(limits_of(default_plan).name)),
        with_default(choice_option("action", action_help(), for_both, &settings::action,
                                   names_of(action_table())),
                     std::string(info_of(create_action::create).name)),
        with_default(std::move(type), "1"),
        with_note(range_option("rate", "requests per second", for_both, &settings::rate,
                               setting_limits::rate_min, setting_limits::rate_max),
                  "the plan's limit"),
        with_note(range_option("daily-cap", "creates per UTC day for action create", for_both,
                               &settings::daily_cap, setting_limits::daily_cap_min,
                               setting_limits::daily_cap_max),
                  "the plan's cap"),
        with_default(choice_option("encoding",
                                   "the CSV's encoding; auto reads UTF-8, UTF-16 by its byte-order "
                                   "mark (Excel's Unicode Text), and a file that is not UTF-8 as "
                                   "Windows-1252 (Excel's CSV (Comma delimited)), with a notice",
                                   for_both, &settings::encoding, names_of(encoding_table()),
                                   spellings(encoding_also_accepted())),
                     "auto"),
        with_default(choice_option("delimiter",
                                   "what separates the cells; auto takes the one of , ; and tab "
                                   "that splits the header into the most known columns",
                                   for_both, &settings::delimiter, names_of(delimiter_table()),
                                   spellings(delimiter_also_accepted())),
                     "auto"),
    };
}

std::vector<option_spec> run_options() {
    return {
        with_note(text_option("journal", "FILE",
                              "the journal recording every row's outcome; reruns with the same "
                              "journal resume where the last run stopped",
                              for_run, &settings::journal),
                  "the CSV's path + \".journal\"; needed when the CSV is \"-\""),
        with_default(
            text_option("base-url", "URL", "Zoom API base URL", for_run, &settings::base_url),
            std::string(zoom_api::base_url)),
        with_default(text_option("oauth-url", "URL", "Server-to-Server OAuth token URL", for_run,
                                 &settings::oauth_url),
                     std::string(zoom_api::oauth_url)),
        flag_option("zoomgov",
                    "the account is on ZoomGov: API " + std::string(zoom_api::gov_base_url) +
                        " and OAuth " + std::string(zoom_api::gov_oauth_url) +
                        "; --base-url and --oauth-url still win",
                    &settings::zoomgov),
        text_option("account-id", "ID",
                    "create the users in this sub-account of the app's master account (POST " +
                        std::string(zoom_api::accounts_path) + "/ID" +
                        std::string(zoom_api::users_path) + ", scope " +
                        std::string(zoom_api::scope_user_write_master) + " or " +
                        std::string(zoom_api::scope_user_master) +
                        "); a journal keeps to the account it was started for",
                    for_run, &settings::account_id),
        text_option("proxy", "URL",
                    "HTTP proxy for Zoom and OAuth (CONNECT tunnel), http://[user:password@]"
                    "host[:port]; wins over HTTPS_PROXY and https_proxy; NO_PROXY still applies; "
                    "an empty URL means no proxy. Credentials belong in HTTPS_PROXY or in a "
                    "config file of mode 0600: on the command line a password shows in the "
                    "process list (zprov hides it once started, and warns)",
                    for_run, &settings::proxy),
        text_option("ca-file", "PEM",
                    "extra CA certificates to trust besides the system store; verification is "
                    "always on",
                    for_run, &settings::ca_file),
        with_default(range_option("concurrency",
                                  "the most parallel connections: as many are used as the "
                                  "rate needs over the round trips measured (80/s at 250 ms: "
                                  "about 30), up to this",
                                  for_run, &settings::concurrency, setting_limits::concurrency_min,
                                  setting_limits::concurrency_max),
                     std::to_string(default_concurrency)),
        with_default(range_option("max-attempts",
                                  "attempts per row on network errors and 5xx before it is "
                                  "marked failed",
                                  for_run, &settings::max_attempts,
                                  setting_limits::max_attempts_min,
                                  setting_limits::max_attempts_max),
                     std::to_string(default_max_attempts)),
        with_default(choice_option("body",
                                   "request body: json, or multipart (form-data, user_info as a "
                                   "JSON string)",
                                   for_run, &settings::body, {"json", "multipart"}),
                     "json"),
        flag_option("wait",
                    "at the daily cap, sleep until it resets (00:00 UTC) and go on, instead of "
                    "exiting 75",
                    &settings::wait),
        flag_option("wait-for-account",
                    "when another zprov run is importing into the same Zoom account, wait for it "
                    "to end instead of exiting 75 (two at once share the account's limits)",
                    &settings::wait_for_account),
        flag_option("retry-failed", "send rows Zoom rejected in earlier runs again",
                    &settings::retry_failed),
        flag_option("update-existing",
                    "users that already existed in the account (409) get their group and "
                    "profile from the sheet; without it they are left alone",
                    &settings::update_existing),
        with_default(range_option("stale-after",
                                  "days a user created with action create may stay pending "
                                  "before its invitation counts as stale (status lists it)",
                                  for_run | for_status, &settings::stale_after,
                                  setting_limits::stale_after_min, setting_limits::stale_after_max),
                     std::to_string(default_stale_after_days)),
        flag_option("reinvite",
                    "delete the users this journal created whose invitation is stale, by the id "
                    "its create recorded and only after a GET says they are still pending (DELETE "
                    "/users/ID?action=disassociate), and create them again, after the other "
                    "rows; each reserves a create from the day's budget before its DELETE. Users "
                    "whose invitation expired (Zoom answers 1120) are created again with no "
                    "DELETE",
                    &settings::reinvite),
        with_default(range_option("max-reinvites",
                                  "stale invitations --reinvite sends again per run (0: none)",
                                  for_run, &settings::max_reinvites,
                                  setting_limits::max_reinvites_min,
                                  setting_limits::max_reinvites_max),
                     "100"),
        flag_option("clear-pause",
                    "send now even if the journal records a pause (Zoom's daily limit, after a "
                    "plan upgrade, say); the daily cap still applies",
                    &settings::clear_pause),
        flag_option("dry-run", "read and check everything; send nothing, journal nothing",
                    &settings::dry_run),
        text_option("summary-json", "FILE", "also write the end-of-run summary as JSON to FILE",
                    for_run, &settings::summary_json),
        with_default(choice_option("progress",
                                   "auto (live line on a terminal, a plain line every 10 s "
                                   "otherwise), always or never",
                                   for_run, &settings::progress, {"auto", "always", "never"}),
                     "auto"),
        repeatable(text_option(
            "notify", "URL",
            "post a short message to this webhook (Slack, Microsoft Teams or any JSON "
            "receiver; may be given more than once) when a run ends with something to act on "
            "(rows invalid, rejected or of another account; a stop for the account; the "
            "day's cap reached with rows waiting), and once when that clears; the journal "
            "remembers what was sent, so a rerun does not repeat it. Only scheme://host/... of "
            "the URL is ever shown",
            for_run, &settings::notify)),
        with_default(choice_option("notify-format",
                                   "the --notify message's format; auto: slack for "
                                   "hooks.slack.com, teams for *.webhook.office.com and "
                                   "*.logic.azure.com, json otherwise",
                                   for_run, &settings::notify_format, notify_format_names()),
                     "auto"),
        with_default(range_option("notify-timeout",
                                  "seconds the --notify and --ping deliveries may take at the "
                                  "end of a run, retries included (and the start ping at its "
                                  "start); a delivery never changes the exit code",
                                  for_run, &settings::notify_timeout,
                                  setting_limits::notify_timeout_min,
                                  setting_limits::notify_timeout_max),
                     std::to_string(default_notify_timeout)),
        text_option("ping", "URL",
                    "Healthchecks-style monitoring: POST URL/start when the run starts, URL when "
                    "it ends 0, 1 or 75 (done, rows to fix, resumes later), URL/CODE for any "
                    "other exit code",
                    for_run, &settings::ping),
        with_default(choice_option("log-format",
                                   "standard error as human lines, or json: one JSON object per "
                                   "event (run start and end, each row's outcome, pauses, stops, "
                                   "messages)",
                                   for_run, &settings::log_format, {"human", "json"}),
                     "human"),
    };
}

} // namespace

std::span<const option_spec> option_table() {
    static const std::vector<option_spec> table = [] {
        auto all = csv_command_options();
        auto run = run_options();
        all.insert(all.end(), run.begin(), run.end());
        return all;
    }();
    return table;
}

const option_spec* find_option(std::string_view name) {
    for (const auto& o : option_table())
        if (o.name == name)
            return &o;
    return nullptr;
}

std::string help_with_default(const option_spec& o) {
    if (!o.default_value.empty() && o.kind != value_kind::flag)
        return o.help + " (default " + o.default_value + ")";
    if (!o.default_note.empty())
        return o.help + " (default: " + o.default_note + ")";
    return o.help;
}

} // namespace zprov
