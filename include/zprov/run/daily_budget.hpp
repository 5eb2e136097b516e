// The day's create budget, and what to do when the journal's count and Zoom's may differ.
// Intents count against the cap, since an unanswered request may have used quota. When they
// say the day is spent but fewer users were created (a 5xx outage, say, whose requests
// Zoom probably never counted), Zoom is asked, one request at a time: its 201 (with
// X-RateLimit-Remaining, when it sends one) opens the day again, its daily 429 closes it.
// Requests not answered yet count as created, so the question is never asked while the
// answers in flight could still fill the day. Pure; throws nothing.
#pragma once

#include <cstdint>
#include <optional>

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
    // users created, and requests not answered yet (each may yet create a user).
    struct count {
        std::int64_t intents = 0, created = 0, unanswered = 0;
    };
    // What a request may do now.
    budget_state look(const count& today) const;
    // The same, taking the probe, or one request of what Zoom said remains.
    budget_state take(const count& today);
    // The probe's answer: `created` for a 201, with X-RateLimit-Remaining if Zoom sent it.
    void probe_answered(bool created, std::optional<std::int64_t> remaining);

private:
    std::int64_t cap_;         // 0: no daily cap
    bool probing_ = false;     // a probe is on its way
    std::int64_t allowed_ = 0; // requests Zoom's last probe answer allows beyond the count
};

} // namespace zprov
