// What a run tells people and monitors when it ends (--notify, --ping): which runs need a
// person (rows invalid, rejected or of another account; a stop for the account; the day's
// cap reached with rows waiting), whether a webhook has been told already (the journal's
// `notified` records), the message in the formats Slack's and Microsoft Teams' incoming
// webhooks accept or as plain JSON, and the URL a ping goes to. A webhook's or a ping's path
// and query are secrets (Slack's and Teams' URLs carry their tokens there): only
// shown_url's scheme://host/... of them is ever printed. Delivering is webhook.hpp's.
// parse_webhook_url throws fatal_error(config); the rest throws only std::bad_alloc.
#pragma once

#include "zprov/base/exit_codes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

enum class notify_format { automatic, slack, teams, json };
std::vector<std::string> notify_format_names(); // "auto", "slack", "teams", "json"
std::optional<notify_format> parse_notify_format(std::string_view name);
std::string_view name_of(notify_format f);

// Seconds the deliveries at the end of a run (and the start ping) may take, retries included.
inline constexpr int default_notify_timeout = 10;

// A webhook or ping URL split into where to connect ("https://hooks.slack.com") and what to
// ask for there (path and query: the secret). Only https:// (plain http:// for a loopback
// host, as for Zoom's URLs). Throws fatal_error(config) naming `option`, never the secret.
struct webhook_url {
    std::string origin; // scheme://host[:port]
    std::string target; // "/services/T0/B0/XXXX", with the query; at least "/"
};
webhook_url parse_webhook_url(std::string_view url, std::string_view option);
// "https://hooks.slack.com/…": what is shown of a URL (the scheme and host only).
std::string shown_url(std::string_view url);
// The format for `url`: `chosen`, or with auto, by its host.
notify_format format_for(notify_format chosen, std::string_view url);
// Which of a run's webhooks a `notified` record is about: a digest of its URL (never the URL).
std::string webhook_key(std::string_view url);

// A row that needs a person: invalid, rejected or elsewhere.
struct problem_row {
    std::uint32_t line = 0;
    std::string email;
    std::string outcome; // "invalid", "rejected", "elsewhere"
    std::string reason;
};

// The problem rows of one run: the first few by line, their number by outcome, and a digest
// of them all that does not depend on the order the workers finished them in.
class problem_rows {
public:
    static constexpr std::size_t kept = 5;
    void add(problem_row row);
    const std::vector<problem_row>& first() const { return first_; }
    std::int64_t count() const { return count_; }
    std::uint64_t digest() const { return digest_; }

private:
    std::vector<problem_row> first_; // sorted by line
    std::int64_t count_ = 0;
    std::uint64_t digest_ = 0;
};

// What a finished run needs of a person.
struct attention {
    std::int64_t invalid = 0, rejected = 0, elsewhere = 0;
    std::vector<problem_row> rows; // the first few
    std::uint64_t rows_digest = 0;
    std::string stop;         // the account's refusal that stopped the run (exit 77)
    std::string paused_until; // ISO 8601: the day's cap was reached with rows still waiting
    bool any() const;
    // Equal for the same problems: the same rows, the same stop, the same pause.
    std::string fingerprint() const;
};

// A message to send: the problems, or that those notified before have cleared.
struct notice {
    bool cleared = false;
    attention what;
    int exit_code = 0;
    std::string csv, journal;
    std::string report_command; // the command that lists every row to fix
};

// The last notification a webhook was sent, as the journal records it.
struct notified_state {
    bool cleared = false;
    std::string fingerprint;
};

// Whether a webhook whose last notification was `last` is to be told of `now` after a run
// that ended `code`: problems it has not been told of; or, after a run that ended 0, that
// the problems it was told of have cleared. nullopt: nothing to say.
std::optional<bool> cleared_notice_due(const attention& now, exit_code code,
                                       const std::optional<notified_state>& last);

// The one-paragraph text of a notice (plain text, one line per row).
std::string message_text(const notice& n);
// The request body for `format` (not auto): Slack's {"text", "blocks"}, a Teams message with
// an Adaptive Card, or zprov's own JSON ({"source": "zprov", "event": "problem"|"cleared",
// counts, rows, ...}). Always application/json.
std::string notice_body(notify_format format, const notice& n);

// Healthchecks-style pings: URL/start when a run starts; at its end URL for an exit code a
// scheduler need not act on (0 done, 1 rows to fix: the notification's business, 75 resumes
// by itself), URL/CODE for any other (Healthchecks counts a non-zero code as a failure).
bool ping_success(exit_code code);
std::string ping_start_url(std::string_view url);
std::string ping_end_url(std::string_view url, exit_code code);

} // namespace zprov
