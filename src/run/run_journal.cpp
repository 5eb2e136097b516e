#include "zprov/run/run_journal.hpp"

#include <unistd.h>

namespace zprov {

run_journal::run_journal(journal_writer& writer, create_action action)
    : writer_(writer), action_(action) {}

void run_journal::run_started(const std::string& csv, const send_limits& limits,
                              const std::vector<std::string>& header) {
    writer_.append({{"type", "run"},
                    {"at", iso8601(now_utc())},
                    {"csv", csv},
                    {"plan", limits_of(limits.plan_id).name},
                    {"action", info_of(limits.action).name},
                    {"rate", limits.rate},
                    {"daily_cap", limits.daily_cap},
                    {"header", header},
                    {"pid", static_cast<long>(::getpid())}});
}

void run_journal::run_ended(exit_code code, const nlohmann::json& summary) {
    writer_.append({{"type", "end"},
                    {"at", iso8601(now_utc())},
                    {"exit", to_int(code)},
                    {"summary", summary}});
}

void run_journal::intent(work_item& item, int attempt) {
    auto now = now_utc();
    item.intent_day = utc_day(now);
    writer_.append({{"type", "intent"},
                    {"at", iso8601(now)},
                    {"email", item.key},
                    {"line", item.line},
                    {"day", item.intent_day},
                    {"action", info_of(action_).name},
                    {"attempt", attempt}});
}

void run_journal::settled(const work_item& item, int status, const std::string& why) {
    writer_.append({{"type", "settled"},
                    {"at", iso8601(now_utc())},
                    {"email", item.key},
                    {"day", item.intent_day},
                    {"action", info_of(action_).name},
                    {"http", status},
                    {"why", why}});
}

void run_journal::outcome(const work_item& item, zprov::outcome what, int attempts,
                          const zoom_answer* answer, const std::string& message) {
    nlohmann::json r{{"type", "outcome"}, {"at", iso8601(now_utc())},
                     {"email", item.key}, {"outcome", info_of(what).name},
                     {"line", item.line}, {"attempts", attempts}};
    if (answer) {
        r["http"] = answer->status;
        if (answer->code)
            r["code"] = *answer->code;
        if (!answer->user_id.empty())
            r["id"] = answer->user_id;
    }
    if (!message.empty())
        r["message"] = message;
    if (info_of(what).problem)
        r["row"] = item.cells;
    writer_.append(r);
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
    writer_.append({{"type", "outcome"},
                    {"at", iso8601(now_utc())},
                    {"email", key},
                    {"outcome", "invalid"},
                    {"line", row.line},
                    {"attempts", 0},
                    {"message", describe_errors(row)},
                    {"row", cells}});
}

bool run_journal::pause(sys_seconds until, const std::string& reason) {
    const auto& existing = summary().pause;
    if (existing && existing->until >= until)
        return false;
    writer_.append({{"type", "pause"},
                    {"at", iso8601(now_utc())},
                    {"until", iso8601(until)},
                    {"reason", reason}});
    return true;
}

void run_journal::resume() {
    writer_.append({{"type", "resume"}, {"at", iso8601(now_utc())}});
}

} // namespace zprov
