// The journal's schema: every record type zprov writes, and the one encoding of a record as
// a line of JSON Lines. The only place that knows field names.
//
// A line is a JSON object whose last member is a CRC32C of the text before it:
//   {"type":"intent",...,"crc":"1a2b3c4d"}\n
// A journal starts with a header record ({"type":"journal","format":"zprov-journal",
// "version":3,...}) that says what the file is and which record kinds it may hold (see
// journal_format::version). Journals of format 1 (before the header existed) start directly
// with a checksummed event record; they still replay, as do those of format 2.
//
// encode never throws for a record it is given. decode returns std::nullopt for a line whose
// checksum fails, that is not JSON, or whose fields have the wrong types. Throws nothing else.
#pragma once

#include "zprov/zoom/plans.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace zprov {

// What a created row owes after its create, per step (group, profile).
enum class step_due { none, owed, deferred };
std::string_view name_of(step_due d);
std::optional<step_due> parse_step_due(std::string_view name);

// elsewhere: Zoom knows the address (409/1005, 400/1009) but not as a user of this account:
// the person needs Zoom's "add existing users" invitation. A problem, never done.
enum class outcome : std::uint8_t { created, exists, invalid, rejected, failed, elsewhere };

struct outcome_info {
    outcome id;
    std::string_view name;
    bool final;   // a later run leaves the row alone (rejected: unless --retry-failed)
    bool problem; // counts towards exit 1 / `report --failed-only`
};
std::span<const outcome_info> outcome_table();
const outcome_info& info_of(outcome o);
std::optional<outcome> parse_outcome(std::string_view name);

namespace journal_format {
inline constexpr std::string_view name = "zprov-journal";
// What each format adds; a zprov refuses a journal of a format above its own (exit 78)
// rather than skip records it does not know:
//   1: no header record;
//   2: the header record;
//   3: step records (group, profile), seen records (a user's state in Zoom: active, gone,
//      expired), reinvite records and notified records (--notify). A journal of format 2 is
//      raised to 3 when a run appends to it (journal_file). Call records came later within
//      format 3: a zprov that does not know them skips them (other_record), losing only their
//      count in the next run's pacer.
inline constexpr int version = 3;
// The start of every header line: how a torn header (a crash while a journal was being
// created) is told from a file that is not a journal.
inline constexpr std::string_view header_prefix = R"({"type":"journal","format":"zprov-journal")";
// No record is longer: bounds what a reader holds for one line (a 16 MiB CSV line, the
// CSV reader's limit, escaped, fits).
inline constexpr std::size_t max_line_bytes = std::size_t{128} << 20;
} // namespace journal_format

// The first record of a journal (format 2 on): what the journal is and which account it
// is for.
struct header_record {
    int version = journal_format::version;
    std::string at;
    // The sub-account (--account-id) the journal is for; empty (and absent from the line):
    // the app's own account, as in every journal written before sub-accounts.
    std::string account;
};

// A run started: its settings and the input's header (for `report --failed-only`).
struct run_record {
    std::string at, csv, plan;
    create_action action = create_action::create;
    double rate = 0;
    std::int64_t daily_cap = 0;
    std::vector<std::string> header;
    std::int64_t pid = 0;
};

// A request is about to be sent for a row (flushed before the send).
struct intent_record {
    std::string at;
    std::string email; // the row's identity: lower-cased email (or "#line N ..." for rows
                       // without a usable one)
    std::uint32_t line = 0;
    std::string day; // UTC day the intent counts against
    create_action action = create_action::create;
    int attempt = 0;
    // `at` to the millisecond (Unix time in ms), for the next run's pacer: a run starting
    // within a second of this one counts its requests in its window. Absent in older records.
    std::optional<std::int64_t> at_ms{};
};

// The request of the open intent certainly had no effect (a 429, a refused token): the
// quota it was counted against is given back.
struct settled_record {
    std::string at, email, day;
    create_action action = create_action::create;
    int http = 0;
    std::string why;
};

// A row's answer.
struct outcome_record {
    std::string at, email;
    outcome what = outcome::failed;
    std::optional<std::uint32_t> line;
    int attempts = 0;
    int http = 0; // 0: no HTTP answer
    std::optional<int> code;
    std::string id, message;
    std::string zoom_status; // Zoom's status of the user (pending/active/inactive), if looked up
    std::optional<std::vector<std::string>> row; // the input's cells, for problem rows
    // With `created`: the steps after the create the row owes (step_due::owed: the next
    // PATCH /users/{id} sets them; deferred: kept until the user is active).
    step_due group = step_due::none, profile = step_due::none;
};

// A step after the create: setting the group (a pending user's by PATCH /users/{id}
// group_id, an active user's by the group-member calls) and/or the profile (PATCH
// /users/{id}, active users only). Written
// like a create: an intent before the request, then done or failed (failed: owed again, the
// next run sends it; PATCH is idempotent, so an intent without an outcome is sent again).
enum class step_phase { intent, done, failed };
std::string_view name_of(step_phase p);
std::optional<step_phase> parse_step_phase(std::string_view name);

struct step_record {
    std::string at, email;
    step_phase phase = step_phase::intent;
    bool group = false, profile = false; // what the request sets
    std::string id;                      // Zoom's user id
    int http = 0;                        // 0: no HTTP answer
    std::optional<int> code;
    std::string message;
    // With phase done: a digest (CRC32C, journal_records' step_digest) of the group and of
    // the profile fields the request set; 0 (absent from the line) for a part it did not set,
    // and in journals written before digests were kept.
    std::uint32_t group_digest = 0, profile_digest = 0;
    // With phase done and the group: the id of the group the user was put in (an active
    // user's later group change moves it from there); empty in journals of format 2.
    std::string group_id{};
};

// What a run learnt of a created user's state in Zoom: `active` (GET /users/{id} said so:
// the invitation was accepted), `gone` (Zoom answered 404/1001 for the user: deleted since)
// or `expired` (Zoom answered 400/1120: the invitation lapsed; the person has no account
// until it is created again or resent). Rows created with `create` are pending until a
// `seen` says more.
enum class zoom_state : std::uint8_t { unknown, pending, active, gone, expired };
std::string_view name_of(zoom_state z);
std::optional<zoom_state> parse_zoom_state(std::string_view name);

struct seen_record {
    std::string at, email;
    std::string id; // Zoom's user id
    zoom_state status = zoom_state::active;
};

// Sending a stale invitation again (run --reinvite): DELETE /users/{id}?action=disassociate of
// a user this journal created that Zoom still lists as pending, then a new create of its row.
// Written like a create: an intent before the DELETE, then what became of it:
//   deleted: the user is gone (2xx, or 404/1001 to a DELETE in doubt: the earlier one acted);
//            the row is to be created again, as a row never sent;
//   gone:    a DELETE not in doubt answered 404/1001: deleted by someone else; the row is
//            not created again (the user's state in Zoom becomes gone);
//   failed:  not deleted (another answer, no answer); the user stays pending.
// An intent without an outcome is a DELETE in doubt: the next run asks Zoom before any other.
enum class reinvite_phase { intent, deleted, gone, failed };
std::string_view name_of(reinvite_phase p);
std::optional<reinvite_phase> parse_reinvite_phase(std::string_view name);

struct reinvite_record {
    std::string at, email;
    std::string id; // Zoom's user id, the DELETE's
    reinvite_phase phase = reinvite_phase::intent;
    int http = 0; // 0: no HTTP answer
    std::optional<int> code;
    std::string message;
};

// The digest a done step records: CRC32C over `parts` joined with NUL separators; never 0
// (0 means "not recorded").
std::uint32_t step_digest(std::span<const std::string_view> parts);

// Sending stops until `until` (ISO 8601 UTC).
struct pause_record {
    std::string at, until, reason;
};

struct resume_record {
    std::string at;
};

// A run ended with an exit code; `summary` is the run's summary as JSON text.
struct end_record {
    std::string at;
    int exit = 0;
    std::string summary = "{}";
};

// A webhook (--notify) was told of a run's problems, or that those it was told of cleared:
// which webhook (webhook_key: a digest of its URL, never the URL itself) and the problems'
// fingerprint (attention::fingerprint; empty when cleared).
struct notified_record {
    std::string at, webhook;
    bool cleared = false;
    std::string fingerprint;
};

// A request other than a create was sent (a create's is its intent): its rate-limit category
// and its time to the millisecond (Unix ms), written right before the request, for the next
// run's pacer (a run starting within a second counts it in its window).
struct call_record {
    std::string at;
    std::int64_t at_ms = 0;
    rate_category category = rate_category::light;
};

// A record of a type this version does not know (written by a later one): replay skips it.
struct other_record {
    std::string type;
};

using journal_record =
    std::variant<header_record, run_record, intent_record, settled_record, outcome_record,
                 pause_record, resume_record, end_record, step_record, seen_record, reinvite_record,
                 notified_record, call_record, other_record>;

// The line of `r`, newline included. Text that is not UTF-8 is written with U+FFFD.
std::string encode(const journal_record& r);

// The record of one line (with or without its newline), or std::nullopt when the line is
// damaged: checksum, JSON or field types.
std::optional<journal_record> decode(std::string_view line);

} // namespace zprov
