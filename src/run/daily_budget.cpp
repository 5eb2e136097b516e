#include "zprov/run/daily_budget.hpp"

#include <algorithm>

namespace zprov {

bool daily_budget::spent_by_zoom(const count& today) const {
    return cap_ > 0 && zoom_limit_ && zoom_day_ == today.day && today.intents >= *zoom_limit_;
}

bool daily_budget::first_of_day(const count& today) const {
    return cap_ > 0 && today.intents == 0 && opened_day_ != today.day;
}

budget_state daily_budget::look(const count& today) const {
    // Answers on their way may show Zoom counted more of ours before its lowest figure.
    if (spent_by_zoom(today))
        return today.in_flight > 0 ? budget_state::wait : budget_state::spent;
    if (probing_ && first_probe_) // its own intent is on the journal now
        return budget_state::wait;
    if (first_of_day(today))
        return probing_ ? budget_state::wait : budget_state::probe;
    if (cap_ <= 0 || today.intents < cap_)
        return budget_state::open;
    if (today.created + today.unanswered >= cap_)
        return budget_state::spent;
    if (allowed_ > 0)
        return budget_state::open;
    return probing_ ? budget_state::wait : budget_state::probe;
}

budget_state daily_budget::take(const count& today) {
    auto state = look(today);
    if (state == budget_state::open && cap_ > 0 && today.intents >= cap_)
        --allowed_;
    if (state == budget_state::probe) {
        probing_ = true;
        first_probe_ = first_of_day(today);
        probe_day_ = today.day;
    }
    return state;
}

void daily_budget::probe_answered(bool created, std::optional<std::int64_t> remaining) {
    probing_ = false;
    if (first_probe_) { // Zoom's figure, if any, came with the answer (zoom_remaining)
        opened_day_ = probe_day_;
        return;
    }
    allowed_ = created && remaining && *remaining > 0 ? *remaining : 0;
}

void daily_budget::probe_dropped() {
    probing_ = false;
}

void daily_budget::zoom_remaining(const count& today, std::int64_t remaining) {
    remaining = std::max<std::int64_t>(0, remaining);
    if (zoom_day_ != today.day || !zoom_lowest_ || remaining < *zoom_lowest_)
        zoom_lowest_ = remaining;
    // Zoom's figures fall with each create it counts: every 201 seen today (this one too, not
    // yet among today.created) carries a figure at or above the lowest, so was counted at or
    // before it. Of ours, at most the lowest figure more can be counted after it.
    zoom_limit_ = today.created + 1 + *zoom_lowest_;
    zoom_day_ = today.day;
    zoom_remaining_ = remaining;
}

std::string daily_budget::spent_reason(const count& today, const std::string& day) const {
    if (spent_by_zoom(today))
        return "Zoom's X-RateLimit-Remaining says the day's creates are spent for " + day + " (" +
               std::to_string(zoom_remaining_) +
               " left at its last answer, for the requests then on their way), before the "
               "journal's count reached the daily create cap (" +
               std::to_string(cap_) + "): other apps on the account create users too";
    return "the daily create cap (" + std::to_string(cap_) + ") is spent for " + day;
}

std::optional<std::string> plan_hint(plan configured, std::int64_t zoom_limit) {
    const auto& mine = limits_of(configured);
    if (zoom_limit <= 0 || zoom_limit == mine.daily_create_cap)
        return std::nullopt;
    const std::string said = "Zoom reports a daily limit of " + std::to_string(zoom_limit);
    for (const auto& p : plan_table())
        if (p.daily_create_cap == zoom_limit)
            return said + ": this account looks like " + std::string(p.title) + "; pass --plan " +
                   std::string(p.name);
    return said + ", not the " + std::to_string(mine.daily_create_cap) + " of --plan " +
           std::string(mine.name) + ": pass --daily-cap " + std::to_string(zoom_limit);
}

} // namespace zprov
