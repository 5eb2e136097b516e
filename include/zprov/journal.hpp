// The journal: an append-only JSON Lines file, one record per event, that is a run's
// source of truth. Every line ends with a CRC32C of its own text ({..., "crc":"1a2b3c4d"}),
// so a torn last line (a crash mid-write) is told from damage: the first is cut off with
// a warning, the second stops with an error. Identity of a row is its lower-cased email.
//
// journal_writer holds an exclusive flock for its lifetime; opening a journal another run
// holds throws fatal_error(exit_code::paused). Damage throws fatal_error(exit_code::data).
// I/O errors throw fatal_error(exit_code::unavailable)... never silently lose a record.
#pragma once

#include "zprov/clock.hpp"
#include "zprov/exit_codes.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zprov {

enum class outcome { created, exists, invalid, rejected, failed };

struct outcome_info {
    outcome id;
    std::string_view name;
    bool final;   // a later run leaves the row alone (rejected: unless --retry-failed)
    bool problem; // counts towards exit 1 / `report --failed-only`
};
std::span<const outcome_info> outcome_table();
const outcome_info& info_of(outcome o);
std::optional<outcome> parse_outcome(std::string_view name);

// One line of the journal for `body` (a JSON object): its text plus the checksum.
std::string encode_record(const nlohmann::json& body);
// The record of a line, or std::nullopt if the line is torn or damaged.
std::optional<nlohmann::json> decode_record(std::string_view line);

// What the journal says of one row.
struct row_state {
    std::optional<outcome> last; // the latest outcome, if any
    bool open_intent = false;    // an intent after the latest outcome: in doubt
    std::uint32_t line = 0;      // CSV line at the latest record
    std::uint32_t attempts = 0;  // requests sent for it, over all runs
};

struct pause_state {
    sys_seconds until;
    std::string reason;
};

struct journal_summary {
    std::unordered_map<std::string, row_state> rows;    // by identity
    std::map<std::string, std::int64_t> creates_by_day; // daily-capped intents per UTC day
    std::optional<pause_state> pause;                   // the latest pause recorded
    nlohmann::json last_run;                            // the latest "run" record, or null
    std::uint64_t records = 0;
    bool torn_tail = false; // the last line was torn (and cut off by a writer)

    // Daily-capped create intents counted on UTC day `day` ("2026-11-28").
    std::int64_t creates_on(const std::string& day) const;
    // The latest pause if it still holds at `now`, else nullptr.
    const pause_state* active_pause(sys_seconds now) const;
};

struct outcome_counts {
    std::int64_t created = 0, exists = 0, invalid = 0, rejected = 0, failed = 0, in_doubt = 0;
    void add(outcome o);
};
// {"created": N, "exists": N, "invalid": N, "rejected": N, "failed": N, "in_doubt": N}
nlohmann::json to_json(const outcome_counts& c);
outcome_counts count_outcomes(const journal_summary& s);

// Reads the journal at `path` into a summary, or, when `each` is given, calls it for every
// good record in order instead (the summary then only counts records). A torn last line is
// reported through summary.torn_tail; damage elsewhere throws.
journal_summary read_journal(const std::string& path,
                             const std::function<void(const nlohmann::json&)>& each = {});

class journal_writer {
public:
    // Opens or creates `path` (mode 0600, O_NOFOLLOW), takes the lock, reads it (cutting a
    // torn tail off, with a warning to `warn`).
    journal_writer(const std::string& path, const std::function<void(const std::string&)>& warn);
    ~journal_writer();
    journal_writer(const journal_writer&) = delete;
    journal_writer& operator=(const journal_writer&) = delete;

    const journal_summary& summary() const { return summary_; }
    const std::string& path() const { return path_; }

    // Appends one record and flushes it to disk (fdatasync) before returning; keeps the
    // summary up to date.
    void append(const nlohmann::json& body);

private:
    std::string path_;
    int fd_ = -1;
    journal_summary summary_;
};

// Applies one record to a summary (what read_journal and journal_writer::append share).
void apply_record(journal_summary& s, const nlohmann::json& record);

} // namespace zprov
