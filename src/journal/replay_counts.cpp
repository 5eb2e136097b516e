// The journal's counts: rows by outcome and steps by status, and their JSON for `status
// --json` and the end record.
#include "zprov/journal/replay.hpp"

#include <nlohmann/json.hpp>

#include <cstring>

namespace zprov {

std::int64_t& outcome_counts::of(outcome o) {
    switch (o) {
    case outcome::created:
        return created;
    case outcome::exists:
        return exists;
    case outcome::invalid:
        return invalid;
    case outcome::rejected:
        return rejected;
    case outcome::elsewhere:
        return elsewhere;
    case outcome::failed:
        break;
    }
    return failed;
}

void outcome_counts::add(outcome o) {
    ++of(o);
}

nlohmann::json to_json(const outcome_counts& c) {
    return {{"created", c.created},   {"exists", c.exists},   {"invalid", c.invalid},
            {"rejected", c.rejected}, {"failed", c.failed},   {"elsewhere", c.elsewhere},
            {"in_doubt", c.in_doubt}, {"pending", c.pending}, {"expired", c.expired}};
}

std::string_view name_of(step_status s) {
    switch (s) {
    case step_status::owed:
        return "owed";
    case step_status::deferred:
        return "deferred";
    case step_status::in_doubt:
        return "in_doubt";
    case step_status::done:
        return "done";
    case step_status::none:
        break;
    }
    return "";
}

bool row_steps::due() const {
    auto sends = [](step_status s) { return s == step_status::owed || s == step_status::in_doubt; };
    return zoom != zoom_state::gone && zoom != zoom_state::expired &&
           (sends(group) || sends(profile));
}

step_counts count_steps(const journal_summary& s) {
    step_counts c;
    for (const auto& [key, row] : s.rows) {
        c.users_pending += row.zoom == zoom_state::pending;
        c.users_active += row.zoom == zoom_state::active;
        c.users_gone += row.zoom == zoom_state::gone;
        c.users_expired += row.zoom == zoom_state::expired;
    }
    for (const auto& [key, steps] : s.steps) {
        if (steps.zoom == zoom_state::gone || steps.zoom == zoom_state::expired)
            continue; // nothing is sent for it (unless an expired user is created again)
        c.groups_set += steps.group == step_status::done;
        c.groups_due += steps.group == step_status::owed || steps.group == step_status::in_doubt;
        c.profiles_applied += steps.profile == step_status::done;
        c.profiles_deferred += steps.profile == step_status::deferred;
        c.profiles_due +=
            steps.profile == step_status::owed || steps.profile == step_status::in_doubt;
    }
    return c;
}

nlohmann::json to_json(const step_counts& c) {
    return {{"groups_set", c.groups_set},
            {"groups_due", c.groups_due},
            {"profiles_applied", c.profiles_applied},
            {"profiles_deferred", c.profiles_deferred},
            {"profiles_due", c.profiles_due},
            {"users_pending", c.users_pending},
            {"users_active", c.users_active},
            {"users_gone", c.users_gone},
            {"users_expired", c.users_expired}};
}

std::int64_t journal_summary::created_on(const std::string& day) const {
    auto it = created_by_day.find(day);
    return it == created_by_day.end() ? 0 : it->second;
}

std::int64_t journal_summary::creates_on(const std::string& day) const {
    auto it = creates_by_day.find(day);
    return it == creates_by_day.end() ? 0 : it->second;
}

const pause_state* journal_summary::active_pause(sys_seconds now) const {
    return pause && now < pause->until ? &*pause : nullptr;
}

std::string_view journal_summary::pending_id(const row_state& row) const {
    if (row.pending_id_at == 0)
        return {};
    const std::size_t at = row.pending_id_at - 1;
    std::uint32_t size = 0;
    std::memcpy(&size, pending_id_bytes.data() + at, sizeof size);
    return std::string_view(pending_id_bytes).substr(at + sizeof size, size);
}

outcome_counts count_outcomes(const journal_summary& s) {
    return s.counts;
}

} // namespace zprov
