// The journal's replay: what an append-only JSON Lines file of records (records.hpp)
// says of each row, of the day's budget and of the pause. One state machine, used by the
// writer of a run (journal/writer), by `status` and by `report` (and the benchmark's
// generator writes the same records), so they agree on every row. Identity of a row is its
// lower-cased email. Any complete line that does not decode is damage and throws
// fatal_error(exit_code::data).
#pragma once

#include "zprov/base/clock.hpp"
#include "zprov/base/exit_codes.hpp"
#include "zprov/journal/file.hpp"
#include "zprov/journal/records.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zprov {

// What `report` shows of a row beyond its state: the latest outcome's details.
struct row_detail {
    std::string user_id, message;
    std::string zoom_status; // Zoom's status of the user, when the row was looked up
    int http = 0;
    int code = 0;                                    // 0: none
    std::unique_ptr<std::vector<std::string>> cells; // the input's cells (problem rows)
};

// What the journal says of one row.
struct row_state {
    std::optional<outcome> last; // the latest outcome, if any
    bool open_intent = false;    // an intent after the latest outcome: in doubt
    // The user's state in Zoom, as last recorded (pending: made with `create`, not yet seen
    // active). In the padding after open_intent: the row index does not grow for it.
    zoom_state zoom = zoom_state::unknown;
    std::uint32_t line = 0;     // CSV line at the latest record
    std::uint32_t attempts = 0; // requests sent for it, over all runs
    std::uint32_t ordinal = 0;  // order of first appearance in the journal
    // Unix seconds. With open_intent: when the first intent since the latest outcome was
    // recorded (a 409 to the resend, for a user Zoom created after it, was this import's).
    // Otherwise, when the latest outcome is `created`: when that answer was recorded (how
    // long an invitation has been waiting).
    std::uint32_t since = 0;
    // Where the Zoom id this journal's own create recorded is kept, for a user it created
    // with `create` and knows only as pending (journal_summary::pending_id), plus one; 0:
    // none. In the row, not in a map of its own: a run of 10,000 invitations holds them at
    // the cost of the ids' bytes.
    std::uint32_t pending_id_at = 0;
};

// The state a row is shown in: "in_doubt" (sent, no answer recorded), "expired" (created with
// `create`, and Zoom said the invitation lapsed), the latest outcome's name, or "pending"
// (never answered: its only requests certainly had no effect).
std::string_view shown_state(const row_state& row);

namespace detail {
// Rows the replay touched lately, by hash of their identity: an outcome follows its intent
// within a few records, and finding it here spares the row table's cache misses.
struct recent_rows {
    struct slot {
        std::size_t hash = 0;
        std::pair<const std::string, row_state>* row = nullptr;
    };
    std::array<slot, 64> slots{};
};
} // namespace detail

struct outcome_counts {
    std::int64_t created = 0, exists = 0, invalid = 0, rejected = 0, failed = 0, elsewhere = 0,
                 in_doubt = 0, pending = 0;
    // Rows created with `create` whose invitation lapsed (Zoom answered 1120): shown as
    // `expired`, not `created` (a seen record, not an outcome, says so).
    std::int64_t expired = 0;
    void add(outcome o);
    std::int64_t& of(outcome o);
};

// Where one step after the create (setting the group, applying the profile) stands.
enum class step_status : std::uint8_t {
    none,     // nothing to do
    owed,     // to send (never sent, or failed: the next run sends it)
    deferred, // kept until the user is active (a pending user's profile is not applied)
    in_doubt, // sent, no outcome recorded: sent again
    done,
};

// "owed", "deferred", "in_doubt", "done"; "" for none.
std::string_view name_of(step_status s);

// A user this journal created with a group or a profile to set, found in the account (409),
// or learnt the id of later (a seen record with an id): its Zoom id, its state in Zoom (as
// row_state::zoom) and the steps after the create (group, profile).
struct row_steps {
    std::string user_id; // Zoom's
    step_status group = step_status::none, profile = step_status::none;
    zoom_state zoom = zoom_state::unknown;
    bool existed = false; // found in the account (409), not created by this journal
    // What the latest done steps applied (step_record's digests); 0: nothing recorded.
    std::uint32_t group_digest = 0, profile_digest = 0;
    std::string group_id{}; // the group the latest done group step put the user in
    // Whether a step is to be sent (owed or in doubt, and the user not gone).
    bool due() const;
};

struct step_counts {
    std::int64_t groups_set = 0, groups_due = 0, profiles_applied = 0, profiles_deferred = 0,
                 profiles_due = 0;
    // Rows created or found by this journal, by their user's state in Zoom as last recorded.
    std::int64_t users_pending = 0, users_active = 0, users_gone = 0, users_expired = 0;
};

struct pause_state {
    sys_seconds until;
    std::string reason;
};

struct journal_summary {
    std::unordered_map<std::string, row_state> rows;    // by identity
    std::map<std::string, std::int64_t> creates_by_day; // daily-capped intents per UTC day
    std::map<std::string, std::int64_t> created_by_day; // users created, by the answer's day
    std::optional<pause_state> pause;                   // the latest pause recorded
    std::optional<run_record> last_run;                 // the latest "run" record
    std::vector<std::string> header; // the input's columns, from the latest run naming them
    // Rows with a Zoom user id and steps to follow (row_steps), by identity: only those.
    std::unordered_map<std::string, row_steps> steps;
    // Re-invites (reinvite_record): DELETEs sent without a recorded outcome, by identity (the
    // user's Zoom id), and the users deleted to be created again.
    std::unordered_map<std::string, std::string> deletes_in_doubt;
    std::int64_t reinvited = 0;
    // The latest notification each webhook was sent (--notify), by webhook_key.
    std::map<std::string, notified_record> notified;
    // The Zoom ids of pending users this journal created (row_state::pending_id_at), each
    // as its length (4 bytes) and its bytes. Only appended to: a row that stops being pending
    // lets go of its place.
    std::string pending_id_bytes;
    // Users a re-invite deleted whose row is not created again yet, with the id deleted: a
    // 409 to the new create that names that id is the DELETE landing late, not `exists`.
    std::unordered_map<std::string, std::string> reinvite_deleted;
    // The latest requests' times to the millisecond (Unix ms) by rate-limit category: the
    // creates' intents (where the record has the time) and the call records, those within
    // recent_sends_span of their category's newest. A run starting soon after counts them in
    // its pacers' windows.
    std::array<std::deque<std::int64_t>, 2> recent_sends_ms; // by rate_category
    static constexpr std::int64_t recent_sends_span = 3000;
    std::uint64_t records = 0;
    bool torn_tail = false;     // the last line was torn (and cut off by a writer)
    outcome_counts counts;      // rows by shown_state(), kept as records are applied
    detail::recent_rows recent; // the replay's own

    // With replay_options::details only, by row ordinal: each row's entry in `rows` and
    // its latest details.
    std::vector<const std::pair<const std::string, row_state>*> in_order;
    std::vector<row_detail> details;

    // Daily-capped create intents counted on UTC day `day` ("2026-11-28").
    std::int64_t creates_on(const std::string& day) const;
    // Users this journal records as created on UTC day `day`.
    std::int64_t created_on(const std::string& day) const;
    // The latest pause if it still holds at `now`, else nullptr.
    const pause_state* active_pause(sys_seconds now) const;
    // The Zoom id this journal's own create recorded for `row`, a user it created with
    // `create` and knows only as pending: the one id a re-invite may delete (never one from
    // a list). Empty otherwise.
    std::string_view pending_id(const row_state& row) const;
};

struct replay_options {
    bool details = false; // keep each row's row_detail (what `report` prints)
};

// Applies one record to a summary: the replay's one state machine.
void apply_record(journal_summary& s, journal_record r, const replay_options& options = {});

// {"created": N, "exists": N, "invalid": N, "rejected": N, "failed": N, "elsewhere": N,
//  "in_doubt": N, "pending": N, "expired": N}
nlohmann::json to_json(const outcome_counts& c);
outcome_counts count_outcomes(const journal_summary& s);
// The steps after the create, counted over the rows that have any.
step_counts count_steps(const journal_summary& s);
// {"groups_set": N, "groups_due": N, "profiles_applied": N, "profiles_deferred": N,
//  "profiles_due": N, "users_pending": N, "users_active": N, "users_gone": N,
//  "users_expired": N}
nlohmann::json to_json(const step_counts& c);

// Reads the journal at `path` (journal_file::open_existing) into a summary. A torn last line
// is reported through summary.torn_tail.
journal_summary read_journal(const std::string& path, const replay_options& options = {});

// Replays every line of the open `file` into `s` (an empty summary); a complete line that
// does not decode is damage (fatal_error(data)), and so is a header after the first line. A
// torn last line is reported through summary.torn_tail and the result.
journal_file::scan_result replay_file(const journal_file& file, journal_summary& s,
                                      const replay_options& options = {});

} // namespace zprov
