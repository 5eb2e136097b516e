// What a create adds around each try of the one request path (run/api_call): the pause and
// the seats before it, the day's budget and the journal's intent before its turn, and after
// it what its answer tells the run (the pacer, Zoom's quota, a probe's answer, a pause). A
// try that may have acted is remembered on the row (work_item's doubt_since, doubt_latest):
// after a 409 to the resend, created_by_this_import weighs Zoom's user_created_at against
// those times. Throws what the journal throws (fatal_error).
#pragma once

#include "zprov/base/clock.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/contexts.hpp"
#include "zprov/run/run_state.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace zprov {

struct user_lookup;

class create_steps final : public call_steps {
public:
    create_steps(row_context& ctx, work_item& item) : ctx_(ctx), item_(item) {}

    int sent() const { return sent_; } // requests journaled for the row

    boost::asio::awaitable<bool> before_try() override;
    boost::asio::awaitable<bool> before_turn() override;
    bool after_turn() override;
    void after_try(const zoom_try& t, const decision* next) override;

private:
    void probe_answered(bool created, std::optional<std::int64_t> remaining);
    void landed();
    void settle_unsent(const std::string& why);
    void pause_for_day(const zoom_answer& answer, const std::string& problem);

    row_context& ctx_;
    work_item& item_;
    int sent_ = 0;             // requests journaled for the row
    bool intent_open_ = false; // the current try's intent is journaled
    bool in_flight_ = false;   // ... and counted in the day's creates on their way
    bool probing_ = false;     // the current try asks Zoom whether the day's budget is spent
    sys_seconds intent_at_{};
};

// Ownership after an unanswered create: whether the user a 409's lookup `found` was made by
// one of `item`'s requests that may have acted: Zoom's user_created_at between the first
// such request's intent and the latest one's plus a request's time, each widened by a
// minute for the two clocks. A user made outside that window is `exists`, never claimed.
bool created_by_this_import(const work_item& item, const user_lookup& found);

} // namespace zprov
