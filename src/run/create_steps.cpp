#include "zprov/run/create_steps.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/transport.hpp"
#include "zprov/run/answer_effects.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/steps/user_lookup.hpp"

#include <algorithm>
#include <chrono>

namespace zprov {

namespace {
// Ownership after an unanswered create: a 409's user is this import's only when Zoom's
// user_created_at falls between the first unanswered request's intent and the latest one's
// plus the time a request may take (session_timeouts' exchange), each widened by this
// allowance for Zoom's clock and this machine's differing. A user made outside that window
// (an administrator's, days later) is `exists`: never claimed, so never re-invited.
constexpr auto clock_skew = std::chrono::seconds(60);
} // namespace

bool created_by_this_import(const work_item& item, const user_lookup& found) {
    if (!item.doubt_since || !found.user_created_at)
        return false;
    const auto latest = item.doubt_latest.value_or(*item.doubt_since);
    const auto request_time =
        std::chrono::duration_cast<std::chrono::seconds>(session_timeouts{}.exchange);
    return *found.user_created_at + clock_skew >= *item.doubt_since &&
           *found.user_created_at <= latest + request_time + clock_skew;
}

net::awaitable<bool> create_steps::before_try() {
    intent_open_ = false;
    if (ctx_.tally.seats.held(item_.user.type)) { // no seats for its type: not sent now
        ctx_.tally.seats.held_back(item_.user.type);
        ++ctx_.tally.count.pending;
        co_return false;
    }
    // A re-invite's create, reserved before its DELETE, goes even if the day was paused
    // since (by rows counting that reservation): the user is deleted already.
    if (item_.create_reserved)
        co_return true;
    // Not sent this time: the row stays pending for the next run.
    co_return co_await hold_for_pause(ctx_);
}

net::awaitable<bool> create_steps::before_turn() {
    // Checked again with no co_await before the intent: other workers may have spent the
    // last of the day's budget while this one connected.
    const auto budget = take_budget(ctx_, item_.create_reserved ? 1 : 0);
    release_create(ctx_, item_); // a re-invite's reserved create: its intent counts now
    if (budget == budget_state::spent || budget == budget_state::wait)
        co_return false;
    probing_ = budget == budget_state::probe;
    // The intent is on disk before the turn is taken, so that nothing slow lies between
    // the pacer's grant and the write it paces. The flush runs off the I/O thread, so the
    // other workers go on meanwhile.
    intent_at_ = std::chrono::floor<std::chrono::seconds>(now_utc());
    ctx_.journal.intent(item_, ++sent_);
    ++ctx_.day.in_flight;
    in_flight_ = true;
    co_await ctx_.syncer.durable(ctx_.journal.written());
    intent_open_ = true;
    co_return true;
}

bool create_steps::after_turn() {
    // Zoom's daily 429 since this try's intent: it is not sent, and with --wait goes
    // around again after the pause. (A pause of the journal's own count lets the creates
    // it left room for go out.)
    if (now_utc() >= ctx_.day.refused_until)
        return true;
    settle_unsent("not sent: Zoom's daily create limit was reached");
    return false;
}

void create_steps::after_try(const zoom_try& t, const decision* next) {
    landed();
    const auto* answer = t.answer ? &*t.answer : nullptr;
    if (t.result.sent)
        ++ctx_.tally.count.requests;
    if (probing_)
        probe_answered(t.what == verdict::created, answer ? answer->quota_remaining : std::nullopt);
    if (t.what == verdict::created)
        note_quota(ctx_, *answer); // before its outcome: its intent is still open
    if (t.abandoned) {
        settle_unsent(t.problem);
        return;
    }
    const auto& log = ctx_.requests.log;
    if (answer && !log.trace && log.verbose && t.what != verdict::created &&
        t.what != verdict::exists)
        log.line(describe_reply(t.result.reply) + terminal_safe(t.result.reply.body));
    if (answer)
        note_answer(ctx_, ctx_.requests.pacers.for_call("POST", create_target(ctx_.requests)),
                    t.what, *answer, t.result.sent_at);
    if (intent_open_ && had_no_effect(t.what))
        ctx_.journal.settled(item_, answer ? answer->status : 0, t.problem);
    if (t.what == verdict::retry && t.result.sent) { // the request may have acted
        if (!item_.doubt_since)
            item_.doubt_since = intent_at_;
        item_.doubt_latest = intent_at_;
    }
    if (next && next->step == next_step::pause_for_day)
        pause_for_day(*answer, t.problem);
    if (next && next->step == next_step::back_off)
        log.line_if_verbose(row_line(item_, terminal_safe(t.problem) + "; retrying"));
}

void create_steps::probe_answered(bool created, std::optional<std::int64_t> remaining) {
    probing_ = false;
    ctx_.day.budget.probe_answered(created, remaining);
    ctx_.day.answered.notify();
}

// The try's request was answered, or will not be sent: the workers waiting for the
// answers on their way look at the day's budget again.
void create_steps::landed() {
    if (!in_flight_)
        return;
    in_flight_ = false;
    --ctx_.day.in_flight;
    ctx_.day.answered.notify();
}

// The try's intent was journaled, its request never written.
void create_steps::settle_unsent(const std::string& why) {
    landed();
    if (probing_) {
        probing_ = false;
        ctx_.day.budget.probe_dropped();
        ctx_.day.answered.notify();
    }
    --sent_;
    intent_open_ = false;
    ctx_.journal.settled(item_, 0, why);
}

// Until Retry-After, or else the next 00:00 UTC; never past the 00:00 UTC after that (a
// Retry-After years ahead would stop every later run).
void create_steps::pause_for_day(const zoom_answer& answer, const std::string& problem) {
    const auto now = now_utc();
    auto until = retry_after_time(answer.retry_after, now);
    if (!until || *until <= now)
        until = next_utc_midnight(now);
    until = std::min(*until, next_utc_midnight(now) + std::chrono::days(1));
    ctx_.day.refused_until = std::max(ctx_.day.refused_until, *until);
    record_pause(ctx_, *until, "Zoom's daily create limit was reached (" + problem + ")");
}

} // namespace zprov
