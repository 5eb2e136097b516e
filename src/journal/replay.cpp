#include "zprov/journal/replay.hpp"

#include "zprov/zoom/plans.hpp"

#include <sys/stat.h>

#include <limits>

namespace zprov {

std::string_view shown_state(const row_state& row) {
    if (row.open_intent)
        return "in_doubt";
    if (row.last == outcome::created && row.zoom == zoom_state::expired)
        return "expired";
    if (row.last)
        return info_of(*row.last).name;
    return "pending";
}

namespace {
using recent_slot = detail::recent_rows::slot;

recent_slot& recent_slot_of(journal_summary& s, std::string_view key, std::size_t& hash) {
    hash = std::hash<std::string_view>{}(key);
    return s.recent.slots[hash % s.recent.slots.size()];
}

// A request sent at `ms` (Unix ms) in category `c`, kept while within the span of the newest.
void note_send(journal_summary& s, rate_category c, std::int64_t ms) {
    auto& recent = s.recent_sends_ms[static_cast<std::size_t>(c)];
    recent.push_back(ms);
    while (recent.front() < recent.back() - journal_summary::recent_sends_span)
        recent.pop_front();
}

// The row of `key`, if the journal named it before.
row_state* find_row(journal_summary& s, const std::string& key) {
    std::size_t hash;
    auto& slot = recent_slot_of(s, key, hash);
    if (slot.row && slot.hash == hash && slot.row->first == key)
        return &slot.row->second;
    auto it = s.rows.find(key);
    if (it == s.rows.end())
        return nullptr;
    slot = {hash, &*it};
    return &it->second;
}

// Keeps `id` as the Zoom id of `row`, a pending user this journal created. An id beyond what
// a row can point at is not kept (so never deleted); nor is an empty one.
void keep_pending_id(journal_summary& s, row_state& row, std::string_view id) {
    row.pending_id_at = 0;
    auto& bytes = s.pending_id_bytes;
    const auto size = static_cast<std::uint32_t>(id.size());
    if (id.empty() ||
        bytes.size() + sizeof size + id.size() >= std::numeric_limits<std::uint32_t>::max())
        return;
    row.pending_id_at = static_cast<std::uint32_t>(bytes.size() + 1);
    bytes.append(reinterpret_cast<const char*>(&size), sizeof size);
    bytes.append(id);
}

// An intent's time as Unix seconds (0 when unreadable).
std::uint32_t unix_seconds(std::string_view at) {
    auto t = parse_iso8601(at);
    return t ? static_cast<std::uint32_t>(t->time_since_epoch().count()) : 0;
}

// Adds `delta` to the count of the state `row` is shown in.
void tally(outcome_counts& c, const row_state& row, int delta) {
    if (row.open_intent)
        c.in_doubt += delta;
    else if (row.last == outcome::created && row.zoom == zoom_state::expired)
        c.expired += delta;
    else if (row.last)
        c.of(*row.last) += delta;
    else
        c.pending += delta;
}

// The row of `key`, added in order of first appearance (counted as pending).
row_state& row_of(journal_summary& s, std::string&& key, const replay_options& options) {
    std::size_t hash;
    auto& slot = recent_slot_of(s, key, hash);
    if (slot.row && slot.hash == hash && slot.row->first == key)
        return slot.row->second;
    auto [it, fresh] = s.rows.try_emplace(std::move(key));
    if (fresh) {
        it->second.ordinal = static_cast<std::uint32_t>(s.rows.size() - 1);
        if (options.details) {
            s.in_order.push_back(&*it);
            s.details.emplace_back();
        }
        tally(s.counts, it->second, +1);
    }
    slot = {hash, &*it};
    return it->second;
}

step_status status_of(step_due d) {
    switch (d) {
    case step_due::owed:
        return step_status::owed;
    case step_due::deferred:
        return step_status::deferred;
    case step_due::none:
        break;
    }
    return step_status::none;
}

// The user's state in Zoom as a created (or found) row's outcome records it. Journals written
// before the state was recorded: a deferred profile means a user made pending.
zoom_state zoom_of(const outcome_record& r) {
    auto zoom = parse_zoom_state(r.zoom_status).value_or(zoom_state::unknown);
    if (zoom == zoom_state::unknown && r.profile == step_due::deferred)
        zoom = zoom_state::pending;
    return zoom;
}

row_steps steps_of(const outcome_record& r, zoom_state zoom) {
    row_steps steps{r.id, status_of(r.group), status_of(r.profile), zoom};
    steps.existed = r.what == outcome::exists;
    return steps;
}

// Each record type's effect on the summary.
struct replay {
    journal_summary& s;
    const replay_options& options;

    void operator()(intent_record& r) {
        auto& row = row_of(s, std::move(r.email), options);
        tally(s.counts, row, -1);
        if (!row.open_intent)
            row.since = unix_seconds(r.at);
        row.open_intent = true;
        tally(s.counts, row, +1);
        row.line = r.line;
        ++row.attempts;
        if (info_of(r.action).daily_capped)
            ++s.creates_by_day[r.day];
        if (r.at_ms)
            note_send(s, rate_category::light, *r.at_ms);
    }
    void operator()(settled_record& r) {
        // The request of the open intent had no effect: the quota it was counted against is
        // given back, and the row is no longer in doubt.
        auto* row = find_row(s, r.email);
        if (!row || !row->open_intent)
            return;
        tally(s.counts, *row, -1);
        row->open_intent = false;
        tally(s.counts, *row, +1);
        auto day = s.creates_by_day.find(r.day);
        if (info_of(r.action).daily_capped && day != s.creates_by_day.end() && day->second > 0)
            --day->second;
    }
    void operator()(outcome_record& r) {
        if (r.what == outcome::created && r.at.size() >= 10)
            ++s.created_by_day[r.at.substr(0, 10)];
        const auto zoom = zoom_of(r);
        if (!r.id.empty() && (r.what == outcome::exists ||
                              (r.what == outcome::created &&
                               (r.group != step_due::none || r.profile != step_due::none))))
            s.steps[r.email] = steps_of(r, zoom);
        if (r.what == outcome::created || r.what == outcome::exists)
            s.reinvite_deleted.erase(r.email);
        auto& row = row_of(s, std::move(r.email), options);
        tally(s.counts, row, -1);
        if (r.what == outcome::created || r.what == outcome::exists)
            row.zoom = zoom;
        row.last = r.what;
        row.open_intent = false;
        if (r.what == outcome::created && zoom == zoom_state::pending)
            keep_pending_id(s, row, r.id);
        else
            row.pending_id_at = 0;
        if (r.what == outcome::created)
            row.since = unix_seconds(r.at);
        tally(s.counts, row, +1);
        row.line = r.line.value_or(row.line);
        if (options.details) {
            auto& d = s.details[row.ordinal];
            d.user_id = std::move(r.id);
            d.message = std::move(r.message);
            d.zoom_status = std::move(r.zoom_status);
            d.http = r.http;
            d.code = r.code.value_or(0);
            d.cells =
                r.row ? std::make_unique<std::vector<std::string>>(std::move(*r.row)) : nullptr;
        }
    }
    void operator()(step_record& r) {
        auto it = s.steps.find(r.email);
        if (it == s.steps.end())
            return; // a step for a row this journal does not know as created: nothing owed
        const auto now = r.phase == step_phase::intent ? step_status::in_doubt
                         : r.phase == step_phase::done ? step_status::done
                                                       : step_status::owed;
        if (r.group)
            it->second.group = now;
        if (r.profile)
            it->second.profile = now;
        if (!r.id.empty())
            it->second.user_id = std::move(r.id);
        if (r.phase == step_phase::done && r.group_digest)
            it->second.group_digest = r.group_digest;
        if (r.phase == step_phase::done && r.group)
            it->second.group_id = std::move(r.group_id);
        if (r.phase == step_phase::done && r.profile_digest)
            it->second.profile_digest = r.profile_digest;
    }
    void operator()(seen_record& r) {
        auto* row = find_row(s, r.email);
        if (!row || (row->last != outcome::created && row->last != outcome::exists))
            return;                // not a user this journal created or found
        tally(s.counts, *row, -1); // an expired invitation is shown as such
        row->zoom = r.status;
        tally(s.counts, *row, +1);
        if (r.status != zoom_state::pending)
            row->pending_id_at = 0;
        auto it = s.steps.find(r.email);
        if (it == s.steps.end() && !r.id.empty()) // its id, learnt to set a step
            it = s.steps
                     .emplace(r.email, row_steps{r.id, step_status::none, step_status::none,
                                                 r.status, row->last == outcome::exists})
                     .first;
        if (it == s.steps.end())
            return;
        auto& steps = it->second;
        steps.zoom = r.status;
        // An active user's deferred profile is owed now.
        if (r.status == zoom_state::active && steps.profile == step_status::deferred)
            steps.profile = step_status::owed;
    }
    void operator()(reinvite_record& r) {
        auto* row = find_row(s, r.email);
        if (!row || row->last != outcome::created)
            return; // not a user this journal created
        if (r.phase == reinvite_phase::intent) {
            s.deletes_in_doubt[r.email] = std::move(r.id);
            return;
        }
        s.deletes_in_doubt.erase(r.email);
        if (r.phase == reinvite_phase::gone) {
            seen_record gone{r.at, r.email, {}, zoom_state::gone};
            (*this)(gone);
        } else if (r.phase == reinvite_phase::deleted) { // to be created again
            s.reinvite_deleted[r.email] = std::move(r.id);
            tally(s.counts, *row, -1);
            row_state fresh; // as never answered, keeping where the row is and its requests
            fresh.line = row->line;
            fresh.attempts = row->attempts;
            fresh.ordinal = row->ordinal;
            *row = fresh;
            tally(s.counts, *row, +1);
            s.steps.erase(r.email);
            ++s.reinvited;
        }
    }
    void operator()(pause_record& r) {
        if (auto until = parse_iso8601(r.until))
            s.pause = pause_state{*until, std::move(r.reason)};
    }
    void operator()(resume_record&) { s.pause.reset(); }
    void operator()(run_record& r) {
        if (!r.header.empty())
            s.header = r.header;
        s.last_run = std::move(r);
    }
    void operator()(header_record&) {}
    void operator()(end_record&) {}
    void operator()(notified_record& r) { s.notified[r.webhook] = std::move(r); }
    void operator()(call_record& r) { note_send(s, r.category, r.at_ms); }
    void operator()(other_record&) {} // a later version's record: nothing this one tracks
};
} // namespace

void apply_record(journal_summary& s, journal_record r, const replay_options& options) {
    ++s.records;
    std::visit(replay{s, options}, r);
}

namespace {
void reserve_rows(const journal_file& file, journal_summary& s, const replay_options& options) {
    struct stat st {};
    if (::stat(file.path().c_str(), &st) != 0)
        return;
    const auto rows = static_cast<std::size_t>(st.st_size) / 340; // two ~170-byte records a row
    s.rows.reserve(rows);
    if (options.details) {
        s.in_order.reserve(rows);
        s.details.reserve(rows);
    }
}
} // namespace

journal_file::scan_result replay_file(const journal_file& file, journal_summary& s,
                                      const replay_options& options) {
    reserve_rows(file, s, options);
    auto result = file.scan([&](std::uint64_t line_no, std::string_view line) {
        auto record = decode(line);
        if (!record)
            damaged_journal_line(file.path(), line_no, line);
        if (line_no > 1 && std::holds_alternative<header_record>(*record))
            damaged_journal_line(file.path(), line_no, line,
                                 "a second journal header: two journals were joined into one "
                                 "file; keep each journal apart");
        apply_record(s, std::move(*record), options);
    });
    s.torn_tail = result.torn_tail;
    return result;
}

journal_summary read_journal(const std::string& path, const replay_options& options) {
    auto file = journal_file::open_existing(path);
    journal_summary s;
    replay_file(file, s, options);
    return s;
}

} // namespace zprov
