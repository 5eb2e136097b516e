#include "zprov/run/daily_budget.hpp"

namespace zprov {

budget_state daily_budget::look(const count& today) const {
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
    if (state == budget_state::probe)
        probing_ = true;
    return state;
}

void daily_budget::probe_answered(bool created, std::optional<std::int64_t> remaining) {
    probing_ = false;
    allowed_ = created && remaining && *remaining > 0 ? *remaining : 0;
}

} // namespace zprov
