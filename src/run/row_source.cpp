#include "zprov/run/row_source.hpp"

#include "zprov/base/event_log.hpp"
#include "zprov/base/text.hpp"
#include "zprov/journal/invitations.hpp"
#include "zprov/run/step_plan.hpp"
#include "zprov/run/steps/activations.hpp"

#include <nlohmann/json.hpp>

namespace zprov {

bool needs_sending(const journal_summary& state, const std::string& key, bool retry_failed) {
    auto it = state.rows.find(key);
    if (it == state.rows.end() || it->second.open_intent || !it->second.last)
        return true;
    switch (*it->second.last) {
    case outcome::created:
    case outcome::exists:
        return false;
    case outcome::rejected:
    case outcome::elsewhere: // the person may have joined the account since
        return retry_failed;
    case outcome::invalid: // invalid before, valid now: the sheet was fixed
    case outcome::failed:
        return true;
    }
    return true;
}

std::vector<std::string> report_cells(const user_sheet& sheet) {
    std::vector<std::string> cells(sheet.cells().begin(), sheet.cells().end());
    for (auto secret : sheet.secret_columns()) // the journal never holds a secret
        if (secret < cells.size())
            cells[secret].clear();
    return cells;
}

std::int64_t count_pending(user_sheet& sheet, const journal_summary& state, bool retry_failed) {
    std::int64_t n = 0;
    sheet_row row;
    while (sheet.next(row))
        if (row.valid() && needs_sending(state, email_key(row.user.email), retry_failed))
            ++n;
    return n;
}

row_source::row_source(user_sheet& sheet, const journal_summary& state, bool retry_failed,
                       run_counters& count, run_journal* journal,
                       std::function<void(const std::string&)> verbose)
    : sheet_(sheet), state_(state), retry_failed_(retry_failed), count_(count), journal_(journal),
      verbose_(std::move(verbose)) {}

namespace {
// Matches the row's User Group to the account's groups; a name that matches none is an error.
void resolve_group(sheet_row& row, const group_directory* groups) {
    if (!groups || row.user.group.empty())
        return;
    for (const auto& e : row.errors)
        if (e.field == name_of(field::group))
            return;
    if (auto why = match_group(*groups, row.user.group, row.user.group_id))
        row.errors.push_back({std::string(name_of(field::group)), std::move(*why)});
}

// Whether the row (created or found by this journal) has steps to send: owed by the journal,
// changed by the sheet since they were applied, or, for a user created without a group or a
// profile, given by the sheet now.
bool has_steps(const journal_summary& state, const row_state& known, const user_record& user,
               const std::string& key, bool update_existing) {
    auto it = state.steps.find(key);
    if (it == state.steps.end())
        return known.last == outcome::created && known.zoom != zoom_state::gone &&
               known.zoom != zoom_state::expired &&
               (group_digest(user) != 0 || profile_digest(user) != 0);
    return it->second.due() || changed_steps(it->second, user, update_existing).any();
}

// The row's steps as a steps_only item, if it has any to send.
std::optional<work_item> steps_item(const journal_summary& state, const row_state& known,
                                    sheet_row& row, std::string& key, bool update_existing) {
    if (!has_steps(state, known, row.user, key, update_existing))
        return std::nullopt;
    work_item item{std::move(row.user), row.line, std::move(key), {}, {}, {}};
    item.steps_only = true;
    return item;
}
} // namespace

bool row_source::created_but_invalid_now(sheet_row& row, std::optional<work_item>& steps) {
    auto key = email_key(row.user.email);
    auto known = state_.rows.find(key);
    if (row.repeats_line != 0 || known == state_.rows.end() || known->second.open_intent ||
        (known->second.last != outcome::created && known->second.last != outcome::exists))
        return false;
    // Created (or found) by an earlier run: it stays so. A cell that is invalid now blocks
    // only the step that needs it: a group that names no group of the account blocks the
    // group step (the step records why); any other cell, the row's steps.
    bool group_only = true;
    for (const auto& e : row.errors)
        group_only = group_only && e.field == name_of(field::group);
    if (group_only) { // its other steps may go; the group step says why it does not
        auto problem = describe_errors(row);
        work_item item{std::move(row.user), row.line, std::move(key), {}, {}, {}};
        item.user.group_id.clear();
        item.steps_only = true;
        item.group_problem = std::move(problem);
        steps = std::move(item);
        return true;
    }
    if (verbose_)
        verbose_("line " + std::to_string(row.line) + ": " + terminal_safe(row.user.email) +
                 ": created by an earlier run; its steps cannot be sent: " +
                 terminal_safe(describe_errors(row)));
    ++count_.skipped;
    return true;
}

std::optional<work_item> row_source::next() {
    sheet_row row;
    while (!exhausted_ && sheet_.next(row)) {
        resolve_group(row, groups_);
        if (!row.valid()) {
            std::optional<work_item> steps;
            if (created_but_invalid_now(row, steps)) {
                if (steps)
                    return steps;
                continue;
            }
            count_.add(outcome::invalid);
            count_.problems.add({row.line, row.user.email, "invalid", describe_errors(row)});
            log_event("row", {{"line", row.line},
                              {"email", row.user.email},
                              {"outcome", "invalid"},
                              {"message", describe_errors(row)}});
            if (verbose_)
                verbose_("line " + std::to_string(row.line) +
                         ": invalid: " + terminal_safe(describe_errors(row)));
            if (journal_)
                journal_->invalid(row, report_cells(sheet_));
            continue;
        }
        auto key = email_key(row.user.email);
        auto known = state_.rows.find(key);
        if (known != state_.rows.end() && queue_reinvite(row, key, known->second))
            continue;
        if (known != state_.rows.end() && expired(known->second)) {
            if (!queue_recreate(row, key)) {
                ++count_.skipped;
                ++count_.expired;
            }
            continue;
        }
        if (!needs_sending(state_, key, retry_failed_)) {
            if (auto item = steps_item(state_, known->second, row, key, update_existing_))
                return item;
            ++count_.skipped;
            if (const auto last = known->second.last;
                last == outcome::rejected || last == outcome::elsewhere) {
                ++(last == outcome::rejected ? count_.rejected_before : count_.elsewhere_before);
                count_.problems.add({row.line, row.user.email, std::string(info_of(*last).name),
                                     "in an earlier run"});
            }
            continue;
        }
        work_item item{std::move(row.user), row.line, std::move(key), report_cells(sheet_), {}, {}};
        if (known != state_.rows.end() && known->second.open_intent && known->second.since)
            item.doubt_since = item.doubt_latest =
                sys_seconds(std::chrono::seconds(known->second.since));
        return item;
    }
    if (!exhausted_)
        settle_left_rows();
    exhausted_ = true;
    if (next_reinvite_ < reinvites_.size())
        return std::move(reinvites_[next_reinvite_++]);
    return std::nullopt;
}

void row_source::settle_left_rows() {
    if (!journal_)
        return; // a dry run settles nothing
    for (const auto& [key, id] : state_.deletes_in_doubt) {
        if (doubts_queued_.contains(key))
            continue;
        work_item item{};
        item.user.email = key;
        item.key = key;
        item.reinvite_id = id;
        item.settle_only = true;
        reinvites_.push_back(std::move(item));
    }
}

bool row_source::expired(const row_state& known) {
    return known.last == outcome::created && !known.open_intent &&
           known.zoom == zoom_state::expired;
}

bool row_source::queue_recreate(sheet_row& row, std::string& key) {
    if (!reinvite_.on || stale_taken_ >= reinvite_.max)
        return false;
    ++stale_taken_;
    const auto steps = state_.steps.find(key);
    work_item item{std::move(row.user), row.line, std::move(key), report_cells(sheet_), {}, {}};
    item.recreate_expired = true;
    if (steps != state_.steps.end())
        item.expired_id = steps->second.user_id;
    reinvites_.push_back(std::move(item));
    return true;
}

bool row_source::reinvite_wanted(const std::string& key, const row_state& known) const {
    return reinvite_.on && reinvite_.pending && stale_taken_ < reinvite_.max &&
           is_stale(known, reinvite_.now, reinvite_.stale_after_days) &&
           reinvite_.pending->emails.contains(key);
}

bool row_source::queue_reinvite(sheet_row& row, std::string& key, const row_state& known) {
    // The id this journal's own create recorded: never one taken from a list.
    std::string id;
    const auto doubt = state_.deletes_in_doubt.find(key);
    const bool in_doubt = doubt != state_.deletes_in_doubt.end();
    const bool wanted = reinvite_wanted(key, known);
    if (in_doubt) {
        id = doubt->second;
        doubts_queued_.insert(key);
    } else {
        const auto created = state_.pending_id(known);
        if (!wanted || created.empty())
            return false; // not pending in Zoom any more: activations records it
        id = created;
    }
    stale_taken_ += wanted;
    work_item item{std::move(row.user), row.line, std::move(key), report_cells(sheet_), {}, {}};
    item.reinvite_id = std::move(id);
    item.reinvite_listed = reinvite_.pending && reinvite_.pending->emails.contains(item.key);
    item.reinvite_wanted = wanted;
    reinvites_.push_back(std::move(item));
    return true;
}

} // namespace zprov
