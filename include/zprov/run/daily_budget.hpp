// The day's create budget, and what to do when the journal's count and Zoom's may differ.
// Intents count against the cap, since an unanswered request may have used quota. When they
// say the day is spent but fewer users were created (a 5xx outage, say, whose requests
// Zoom probably never counted), Zoom is asked, one request at a time: its 201 (with
// X-RateLimit-Remaining, when it sends one) opens the day again, its daily 429 closes it.
// Requests not answered yet count as created, so the question is never asked while the
// answers in flight could still fill the day. When Zoom's X-RateLimit-Remaining says fewer
// creates remain than the journal thinks (other tools on the account spent some), Zoom's
// figure wins and the day is spent before Zoom has to refuse. When the journal knows nothing
// of today (no create yet), the first create is a probe too: it goes alone, and the others
// wait for its answer, whose X-RateLimit-Remaining says what other tools left of the day,
// so that no burst overshoots it. Pure; throws nothing.
#pragma once

#include "zprov/zoom/plans.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace zprov {

enum class budget_state {
    open,  // send
    probe, // send, as the one request that asks Zoom
    wait,  // another worker is asking Zoom: wait for its answer
    spent, // the day is spent: pause until 00:00 UTC
};

class daily_budget {
public:
    explicit daily_budget(std::int64_t cap = 0) : cap_(cap) {}

    // The day's count as the journal has it: intents (requests that may have used quota),
    // users created, and requests not answered yet (each may yet create a user), on UTC day
    // `day` (days since 1970-01-01).
    struct count {
        std::int64_t intents = 0, created = 0, unanswered = 0;
        std::int64_t day = 0;
        std::int64_t in_flight = 0; // this run's creates sent and not answered yet
    };
    // What a request may do now.
    budget_state look(const count& today) const;
    // The same, taking the probe, or one request of what Zoom said remains.
    budget_state take(const count& today);
    // The probe's answer: `created` for a 201, with X-RateLimit-Remaining if Zoom sent it.
    void probe_answered(bool created, std::optional<std::int64_t> remaining);
    // The probe was not sent after all: another request asks.
    void probe_dropped();
    // Nothing is known of today yet: the next create is the day's first probe.
    bool first_of_day(const count& today) const;
    // A 201's X-RateLimit-Remaining, read while that request's own outcome is not yet
    // journaled (not in today.created). Answers may come in another order than Zoom counted
    // the requests: the lowest figure of the day bounds the rest, with every 201 seen counted
    // before it; while answers are on their way a day spent by it waits for them (they may
    // show more counted before it) rather than pausing.
    void zoom_remaining(const count& today, std::int64_t remaining);
    // Whether Zoom's figure, not the journal's count, is what spends the day.
    bool spent_by_zoom(const count& today) const;
    // Why the day ("2026-11-28") is spent, for the pause record.
    std::string spent_reason(const count& today, const std::string& day) const;

private:
    std::int64_t cap_;         // 0: no daily cap
    bool probing_ = false;     // a probe is on its way
    bool first_probe_ = false; // ... the day's first create
    std::int64_t probe_day_ = 0;
    std::optional<std::int64_t> opened_day_; // the day whose first probe was answered
    std::int64_t allowed_ = 0; // requests Zoom's last probe answer allows beyond the count
    // From Zoom's latest X-RateLimit-Remaining: the day's intents that spend the day.
    std::optional<std::int64_t> zoom_limit_;
    std::int64_t zoom_day_ = 0;
    std::int64_t zoom_remaining_ = 0;         // the figure as Zoom sent it
    std::optional<std::int64_t> zoom_lowest_; // the day's lowest figure
};

// Zoom's X-RateLimit-Limit on a 201, when it is not the daily cap of `configured`: what to
// tell the user ("this account looks like Business+; pass --plan business"). std::nullopt
// when the figures agree.
std::optional<std::string> plan_hint(plan configured, std::int64_t zoom_limit);

} // namespace zprov
