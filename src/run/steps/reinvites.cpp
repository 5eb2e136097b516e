#include "zprov/run/steps/reinvites.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/transport.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/steps/user_lookup.hpp"
#include "zprov/sheet/validation.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

#include <nlohmann/json.hpp>

namespace zprov {

namespace {

// GET-then-DELETE rounds per row and run: a DELETE answered with a 429 that did not act is
// sent again only after a new GET says the user is still pending.
constexpr int delete_rounds = 3;
// GETs that settle a DELETE which may have acted, each after a wait of `settle_waits`
// backoff bases (2 s by default): Zoom's store may take a moment to agree.
constexpr int settle_gets = 3;
constexpr int settle_waits = 4;

void say(const row_context& ctx, const work_item& item, const std::string& what) {
    ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                          terminal_safe(item.user.email) + ": " + what);
}

// Where the user this journal created stands, by GET /users/{id}.
enum class standing {
    pending,  // still pending, with that id and the row's email: may be deleted
    gone,     // 404/1001: no user with that id
    active,   // accepted the invitation
    expired,  // 400/1120: the invitation lapsed (no DELETE needed)
    not_ours, // the id answers for another email, or the user is neither pending nor active
    unknown,  // no answer that says
};

struct user_check {
    standing is = standing::unknown;
    int http = 0;
    std::optional<int> code;
    std::string problem;
};

user_check read_check(const call_end& r, const std::string& id, const std::string& key) {
    user_check c;
    if (r.last.answer) {
        c.http = r.last.answer->status;
        c.code = r.last.answer->code;
    }
    c.problem = r.last.problem;
    if (r.done()) {
        auto doc = nlohmann::json::parse(r.last.result.reply.body, nullptr, false);
        if (!doc.is_object()) {
            c.problem = "the answer to GET /users/{id} is not a user";
            return c;
        }
        const auto status = doc.value("status", std::string());
        const bool same = doc.value("id", std::string()) == id &&
                          email_key(doc.value("email", std::string())) == key;
        c.is = !same                 ? standing::not_ours
               : status == "pending" ? standing::pending
               : status == "active"  ? standing::active
                                     : standing::not_ours;
        if (c.is == standing::not_ours)
            c.problem = same ? "Zoom says the user is " + status
                             : "Zoom answers for the id with another user";
        return c;
    }
    if (r.user_gone())
        c.is = standing::gone;
    else if (r.answered() && c.http == 400 && c.code == zoom_code::invitation_expired)
        c.is = standing::expired;
    return c;
}

net::awaitable<user_check> check_user(row_context& ctx, connection& session,
                                      const work_item& item) {
    const zoom_request get{.method = "GET", .path = user_target(ctx.requests, item.reinvite_id)};
    row_attempts attempts;
    counted_steps steps(ctx.tally.count.requests, false);
    call_end r = co_await call_zoom(ctx.requests, session, get, attempts, steps); // g++ 12
    co_return read_check(r, item.reinvite_id, item.key);
}

// After a DELETE that may have acted (no answer, a 429, a 5xx): asks Zoom, waiting a little
// while the user still shows (a store not yet consistent), bounded.
net::awaitable<user_check> settle_by_get(row_context& ctx, connection& session,
                                         const work_item& item) {
    user_check c;
    for (int i = 0; i < settle_gets; ++i) {
        if (i > 0)
            co_await sleep_unless_stopped(ctx.requests.stop,
                                          ctx.requests.retry.backoff_base * settle_waits);
        if (ctx.requests.stop.abandons_waiting())
            break;
        c = co_await check_user(ctx, session, item);
        if (c.is != standing::pending && c.is != standing::unknown)
            break;
    }
    co_return c;
}

// A GET that did not say where the user stands (`c` unknown): said (`what`, why, then
// `next`) and counted as a re-invite that failed; true then, and the row waits for the next
// run.
bool unanswered(row_context& ctx, const work_item& item, const user_check& c,
                const std::string& what, const std::string& next) {
    if (c.is != standing::unknown)
        return false;
    say(ctx, item,
        what + " (" + terminal_safe(c.problem.empty() ? "no answer" : c.problem) + "); " + next);
    ++ctx.tally.count.reinvites_failed;
    return true;
}

// The journal's record of a re-invite that did not delete (the user stays as it is), said
// as a row problem and counted (the run's exit code shows it).
void not_deleted(row_context& ctx, const work_item& item, const user_check& c,
                 const std::string& why) {
    ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::failed, c.http, c.code, why);
    say(ctx, item, "not re-invited: " + terminal_safe(why));
    ++ctx.tally.count.reinvites_failed;
}

// What a GET says of a user this journal created, when it is not `pending`: journaled; true
// when the row is to be created now (the user is gone after a DELETE of ours that may have
// acted).
bool conclude(row_context& ctx, work_item& item, const user_check& c, bool ours_acted) {
    const auto id = item.reinvite_id;
    switch (c.is) {
    case standing::gone:
        if (ours_acted) {
            ctx.journal.reinvite(item.key, id, reinvite_phase::deleted, c.http, c.code,
                                 "the DELETE acted (Zoom no longer knows the id)");
            if (!item.settle_only)
                ctx.requests.log.line_if_verbose("line " + std::to_string(item.line) + ": " +
                                                 terminal_safe(item.user.email) +
                                                 ": stale invitation: deleted, created again");
            return !item.settle_only;
        }
        ctx.journal.reinvite(item.key, id, reinvite_phase::gone, c.http, c.code,
                             "the user this journal created is no longer in Zoom");
        say(ctx, item, "not re-invited: the user no longer exists in Zoom (deleted since)");
        return false;
    case standing::active:
        ctx.journal.reinvite(item.key, id, reinvite_phase::failed, c.http, c.code,
                             "the user accepted the invitation: not deleted");
        ctx.journal.seen(item.key, id, zoom_state::active);
        ctx.requests.log.line_if_verbose("line " + std::to_string(item.line) + ": " +
                                         terminal_safe(item.user.email) +
                                         ": accepted the invitation meanwhile: not re-invited");
        return false;
    case standing::expired:
        // An expired invitation needs no DELETE: the user is journaled expired, and its row is
        // created again as such (now, when it is re-invited in this run).
        ctx.journal.reinvite(item.key, id, reinvite_phase::failed, c.http, c.code,
                             "the invitation expired (Zoom answers 1120): no DELETE needed");
        ctx.journal.seen(item.key, id, zoom_state::expired);
        if (item.settle_only || !item.reinvite_wanted)
            return false;
        item.recreate_expired = true;
        item.expired_id = id;
        return true;
    case standing::not_ours:
        not_deleted(ctx, item, c, c.problem + ": not deleted");
        return false;
    case standing::pending:
    case standing::unknown:
        break;
    }
    return false;
}

// Sends the DELETE of the id this journal created, once; journals its intent first.
net::awaitable<call_end> send_delete(row_context& ctx, connection& session, const work_item& item,
                                     bool& may_have_acted) {
    ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::intent);
    co_await ctx.syncer.durable(ctx.journal.written());
    const zoom_request del{.method = "DELETE",
                           .path = user_target(ctx.requests, item.reinvite_id) +
                                   "?action=disassociate"};
    row_attempts attempts;
    counted_steps steps(ctx.tally.count.requests, true);
    call_end r = co_await call_zoom(ctx.requests, session, del, attempts, steps); // g++ 12
    may_have_acted = steps.may_have_acted();
    co_return r;
}

// One GET-then-DELETE. Returns whether the row is to be created now; `again` when the DELETE
// did not act (a 429 that was only the rate limit) and may be tried once more.
net::awaitable<bool> delete_round(row_context& ctx, connection& session, work_item& item,
                                  bool& acted_before, bool& again) {
    again = false;
    const auto before = co_await check_user(ctx, session, item);
    if (unanswered(ctx, item, before, "not re-invited now: cannot ask Zoom about the user",
                   "the next run tries again"))
        co_return false;
    if (before.is != standing::pending)
        co_return conclude(ctx, item, before, acted_before);
    bool may_have_acted = false;
    const auto r = co_await send_delete(ctx, session, item, may_have_acted);
    if (r.done()) {
        ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::deleted,
                             r.last.answer->status, r.last.answer->code);
        ctx.requests.log.line_if_verbose("line " + std::to_string(item.line) + ": " +
                                         terminal_safe(item.user.email) +
                                         ": stale invitation: deleted, created again");
        co_return true;
    }
    if (!r.sent) { // never written: it did nothing
        ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::failed, 0, std::nullopt,
                             "not sent: " + r.last.problem);
        co_return false;
    }
    const int status = r.last.answer ? r.last.answer->status : 0;
    if (r.user_gone() && !acted_before) // between our GET and our one DELETE: someone else
        co_return conclude(ctx, item, user_check{standing::gone, status, r.last.answer->code, {}},
                           false);
    if (r.answered() && status != 429 && !r.user_gone()) { // refused: it did nothing
        auto c = read_check(r, item.reinvite_id, item.key);
        if (c.is == standing::expired)
            co_return conclude(ctx, item, c, false);
        not_deleted(ctx, item, c, "the DELETE was refused (" + r.last.problem + ")");
        co_return false;
    }
    // No answer, a 429 or a 5xx: it may have acted. Zoom says.
    acted_before = acted_before || may_have_acted;
    const auto after = co_await settle_by_get(ctx, session, item);
    if (after.is == standing::unknown) {
        say(ctx, item,
            "the DELETE of the stale invitation is in doubt (" + terminal_safe(r.last.problem) +
                "; asking Zoom failed: " + terminal_safe(after.problem) +
                "); the next run settles it");
        ++ctx.tally.count.reinvites_failed;
        co_return false; // the intent stays open
    }
    if (after.is == standing::pending) {
        ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::failed, status,
                             r.last.answer ? r.last.answer->code : std::nullopt,
                             "the DELETE did not act (" + r.last.problem + ")");
        again = true;
        co_return false;
    }
    co_return conclude(ctx, item, after, acted_before);
}

// A DELETE an earlier run left in doubt: Zoom says whether it acted. Returns whether the
// user is still pending (the re-invite may go on).
net::awaitable<bool> settle_doubt(row_context& ctx, connection& session, work_item& item,
                                  bool& create) {
    create = false;
    const auto c = co_await settle_by_get(ctx, session, item);
    if (unanswered(ctx, item, c, "an earlier run's DELETE is still in doubt",
                   "the next run asks again"))
        co_return false;
    if (c.is == standing::pending) {
        ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::failed, c.http, c.code,
                             "an earlier run's DELETE did not act: the user is still pending");
        co_return true;
    }
    create = conclude(ctx, item, c, true);
    co_return false;
}
} // namespace

net::awaitable<bool> delete_for_reinvite(row_context& ctx, connection& session, work_item& item) {
    if (ctx.journal.summary().deletes_in_doubt.contains(item.key)) {
        bool create = false;
        const bool pending = co_await settle_doubt(ctx, session, item, create);
        co_await ctx.syncer.durable(ctx.journal.written());
        if (!pending || !item.reinvite_wanted || item.settle_only)
            co_return create;
    }
    // The new create's unit of the day's budget is held before anything is deleted: with no
    // create left, nothing is deleted (a day spent pauses the run, as for a create).
    if (const auto* pause = ctx.journal.summary().active_pause(now_utc())) {
        ctx.requests.stop.request(exit_code::paused, pause->reason);
        co_return false;
    }
    // Another worker asking Zoom what is left of the day: its answer first; a day spent pauses
    // (or, with --wait, waits) as for a create.
    if (!co_await hold_for_pause(ctx))
        co_return false;
    if (!reserve_create(ctx, item)) {
        ctx.requests.log.line_if_verbose("line " + std::to_string(item.line) + ": " +
                                         terminal_safe(item.user.email) +
                                         ": not re-invited now: no create left today");
        if (look_budget(ctx) == budget_state::spent) {
            const auto now = now_utc();
            record_pause(ctx, next_utc_midnight(now),
                         ctx.day.budget.spent_reason(count_today(ctx), utc_day(now)));
            ctx.requests.stop.request(exit_code::paused, ctx.journal.summary().pause
                                                             ? ctx.journal.summary().pause->reason
                                                             : "the day's creates are spent");
        }
        co_return false;
    }
    bool acted_before = false, again = true;
    bool create = false;
    for (int round = 0; round < delete_rounds && again && !create; ++round) {
        create = co_await delete_round(ctx, session, item, acted_before, again);
        co_await ctx.syncer.durable(ctx.journal.written());
    }
    if (again && !create) {
        say(ctx, item,
            "not re-invited: Zoom kept refusing the DELETE for its rate limit; the "
            "next run tries again");
        ++ctx.tally.count.reinvites_failed;
    }
    if (!create)
        release_create(ctx, item);
    co_return create;
}

} // namespace zprov
