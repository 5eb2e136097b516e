#include "zprov/run/reinvites.hpp"

#include "zprov/connection.hpp"
#include "zprov/net.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/user_lookup.hpp"
#include "zprov/text.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

namespace zprov {

namespace {
void say(const row_context& ctx, const work_item& item, const std::string& what) {
    ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                          terminal_safe(item.user.email) + ": " + what);
}

// Journals what became of the DELETE; true when the row is to be created again.
bool record_delete(row_context& ctx, const work_item& item, const call_end& r, bool in_doubt) {
    const auto& id = item.reinvite_id;
    const int status = r.last.answer ? r.last.answer->status : 0;
    const auto code = r.last.answer ? r.last.answer->code : std::nullopt;
    const auto& problem = r.last.problem;
    if (r.done() || (in_doubt && r.user_gone())) {
        ctx.journal.reinvite(item.key, id, reinvite_phase::deleted, status, code);
        if (ctx.requests.log.verbose)
            say(ctx, item, "stale invitation: deleted, created again");
        return true;
    }
    if (r.user_gone()) {
        ctx.journal.reinvite(item.key, id, reinvite_phase::gone, status, code, problem);
        say(ctx, item, "not re-invited: the user no longer exists in Zoom (deleted since)");
        return false;
    }
    if (!r.answered() && r.sent)
        return false; // no answer: in doubt, the next run asks Zoom
    ctx.journal.reinvite(item.key, id, reinvite_phase::failed, status, code, problem);
    say(ctx, item, "not re-invited: " + terminal_safe(problem) + "; the next run tries again");
    return false;
}

// A DELETE in doubt whose user the account does not list as pending (or no list was read):
// Zoom says whether it acted. Returns whether to create the row now (the DELETE acted), and
// sets `send` when the user is still pending (the DELETE is to be sent).
net::awaitable<bool> settle_doubt(row_context& ctx, connection& session, const work_item& item,
                                  bool& send) {
    auto found = co_await look_up(ctx.requests, session, item.user.email);
    if (found.where == user_lookup::found::elsewhere) {
        ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::deleted, 404,
                             zoom_code::user_not_found, "an earlier run's DELETE acted");
        co_return true;
    }
    if (found.where != user_lookup::found::here)
        co_return false; // no answer: still in doubt
    if (found.status == "pending") {
        send = true;
        co_return false;
    }
    ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::failed, 200, std::nullopt,
                         "the user is " + found.status + " in Zoom: not deleted");
    if (found.status == "active")
        ctx.journal.seen(item.key, found.id, zoom_state::active);
    co_return false;
}
} // namespace

net::awaitable<bool> delete_for_reinvite(row_context& ctx, connection& session,
                                         const work_item& item) {
    const bool in_doubt = ctx.journal.summary().deletes_in_doubt.contains(item.key);
    if (in_doubt && !item.reinvite_listed) {
        bool send = false;
        const bool create = co_await settle_doubt(ctx, session, item, send);
        co_await ctx.syncer.durable(ctx.journal.written());
        if (!send)
            co_return create;
    }
    const auto budget = look_budget(ctx);
    if (budget == budget_state::spent || budget == budget_state::wait)
        co_return false; // no create left today: the user stays, the next run re-invites
    ctx.journal.reinvite(item.key, item.reinvite_id, reinvite_phase::intent);
    co_await ctx.syncer.durable(ctx.journal.written());
    const zoom_request del{.method = "DELETE",
                           .path = user_target(ctx.requests, item.reinvite_id) +
                                   "?action=disassociate"};
    call_end answered = co_await call_zoom(ctx.requests, session, del); // named: g++ 12
    if (answered.sent)
        ++ctx.tally.count.requests;
    const bool create = record_delete(ctx, item, answered, in_doubt);
    co_await ctx.syncer.durable(ctx.journal.written());
    co_return create;
}

} // namespace zprov
