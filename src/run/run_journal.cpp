#include "zprov/run/run_journal.hpp"

#include "zprov/run/step_plan.hpp"

#include <unistd.h>

namespace zprov {

run_journal::run_journal(journal_writer& writer, create_action action, bool buffered)
    : writer_(writer), action_(action), buffered_(buffered) {}

void run_journal::put(const journal_record& r) {
    if (buffered_)
        writer_.append_buffered(r);
    else
        writer_.append(r);
}

void run_journal::run_started(const std::string& csv, const send_limits& limits,
                              const std::vector<std::string>& header) {
    writer_.append(run_record{iso8601(now_utc()), csv, std::string(limits_of(limits.plan_id).name),
                              limits.action, limits.rate, limits.daily_cap, header,
                              static_cast<std::int64_t>(::getpid())});
}

void run_journal::run_ended(exit_code code, const nlohmann::json& summary) {
    if (writer_.failed()) // after a failed write the journal stays as it was cut back
        return;
    writer_.append(
        end_record{iso8601(now_utc()), to_int(code),
                   summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
}

void run_journal::intent(work_item& item, int attempt) {
    auto now = now_utc();
    item.intent_day = utc_day(now);
    put(intent_record{iso8601(now), item.key, item.line, item.intent_day, action_, attempt,
                      now_unix_ms()});
}

void run_journal::call_sent(rate_category category) {
    put(call_record{iso8601(now_utc()), now_unix_ms(), category});
}

void run_journal::settled(const work_item& item, int status, const std::string& why) {
    put(settled_record{iso8601(now_utc()), item.key, item.intent_day, action_, status, why});
}

void run_journal::outcome(const work_item& item, zprov::outcome what, int attempts,
                          const zoom_answer* answer, const std::string& message,
                          const std::string& zoom_status) {
    outcome_record r;
    r.at = iso8601(now_utc());
    r.email = item.key;
    r.what = what;
    r.line = item.line;
    r.attempts = attempts;
    r.message = message;
    r.zoom_status = zoom_status;
    if (answer) {
        r.http = answer->status;
        r.code = answer->code;
        r.id = answer->user_id;
    }
    if (info_of(what).problem)
        r.row = item.cells;
    if (what == outcome::created && r.zoom_status == name_of(zoom_state::expired)) {
        // An expired invitation Zoom would not renew: nothing is owed until it is created.
    } else if (what == outcome::created) {
        if (r.zoom_status.empty())
            r.zoom_status =
                name_of(info_of(action_).user_pending ? zoom_state::pending : zoom_state::active);
        if (!item.user.group.empty())
            r.group = step_due::owed;
        if (item.user.has_profile())
            r.profile = info_of(action_).user_pending ? step_due::deferred : step_due::owed;
    }
    put(r);
}

void run_journal::step_intent(const work_item& item, const std::string& user_id, bool group,
                              bool profile) {
    step_record r;
    r.at = iso8601(now_utc());
    r.email = item.key;
    r.phase = step_phase::intent;
    r.group = group;
    r.profile = profile;
    r.id = user_id;
    put(r);
}

void run_journal::seen(const std::string& key, const std::string& user_id, zoom_state status) {
    put(seen_record{iso8601(now_utc()), key, user_id, status});
}

void run_journal::reinvite(const std::string& key, const std::string& user_id, reinvite_phase phase,
                           int http, std::optional<int> code, const std::string& message) {
    put(reinvite_record{iso8601(now_utc()), key, user_id, phase, http, code, message});
}

void run_journal::step_outcome(const work_item& item, step_phase phase, bool group, bool profile,
                               int http, std::optional<int> code, const std::string& message) {
    step_record r;
    if (phase == step_phase::done) {
        r.group_digest = group ? group_digest(item.user) : 0;
        r.profile_digest = profile ? profile_digest(item.user) : 0;
        if (group)
            r.group_id = item.user.group_id;
    }
    r.at = iso8601(now_utc());
    r.email = item.key;
    r.phase = phase;
    r.group = group;
    r.profile = profile;
    r.http = http;
    r.code = code;
    r.message = message;
    put(r);
}

std::string invalid_row_key(const sheet_row& row) {
    auto key = email_key(row.user.email);
    if (key.empty() || row.repeats_line != 0)
        key = "#line " + std::to_string(row.line) + (key.empty() ? "" : " " + key);
    return key;
}

std::string describe_errors(const sheet_row& row) {
    std::string reasons;
    for (const auto& e : row.errors)
        reasons += (reasons.empty() ? "" : "; ") + e.field + ": " + e.reason;
    return reasons;
}

void run_journal::invalid(const sheet_row& row, const std::vector<std::string>& cells) {
    auto key = invalid_row_key(row);
    const auto& rows = summary().rows;
    if (auto it = rows.find(key);
        it != rows.end() && it->second.last == outcome::invalid && !it->second.open_intent)
        return;
    outcome_record r;
    r.at = iso8601(now_utc());
    r.email = key;
    r.what = outcome::invalid;
    r.line = row.line;
    r.message = describe_errors(row);
    r.row = cells;
    put(r);
}

bool run_journal::pause(sys_seconds until, const std::string& reason) {
    const auto& existing = summary().pause;
    if (existing && existing->until >= until)
        return false;
    put(pause_record{iso8601(now_utc()), iso8601(until), reason});
    return true;
}

void run_journal::resume() {
    put(resume_record{iso8601(now_utc())});
}

void run_journal::notified(const std::string& webhook, bool cleared,
                           const std::string& fingerprint) {
    writer_.append(notified_record{iso8601(now_utc()), webhook, cleared, fingerprint});
}

} // namespace zprov
