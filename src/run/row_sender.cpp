#include "zprov/run/row_sender.hpp"

#include "zprov/base/event_log.hpp"
#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/transport.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/create_steps.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/steps/profiles.hpp"
#include "zprov/run/steps/reinvites.hpp"
#include "zprov/run/steps/user_lookup.hpp"
#include "zprov/run/user_request.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>
#include <optional>

namespace zprov {

namespace {
constexpr int outage_rows = 3; // rows failing in a row that mean Zoom is unreachable

// Lookups of an id a re-invite just deleted, each after a wait of `late_delete_waits`
// backoff bases (2 s by default), before its 409 is left for the next run.
constexpr int late_delete_gets = 4;
constexpr int late_delete_waits = 4;

std::string redacted(std::string body, const user_record& user) {
    if (user.password.empty())
        return body;
    const auto secret = nlohmann::json(user.password).dump();
    const std::string shown = "\"[redacted]\"";
    for (auto at = body.find(secret); at != std::string::npos;
         at = body.find(secret, at + shown.size()))
        body.replace(at, secret.size(), shown);
    return body;
}

void record(row_context& ctx, const work_item& item, outcome what, int sent, const zoom_try& t,
            const std::string& message, const std::string& zoom_status = {}) {
    const zoom_answer* answer = t.answer ? &*t.answer : nullptr;
    ctx.journal.outcome(item, what, sent, answer, message, zoom_status);
    ctx.tally.count.add(what);
    if (what == outcome::invalid || what == outcome::rejected || what == outcome::elsewhere)
        ctx.tally.count.problems.add(
            {item.line, item.user.email, std::string(info_of(what).name), message});
    if (json_log()) {
        nlohmann::json event{{"line", item.line},
                             {"email", item.user.email},
                             {"outcome", info_of(what).name},
                             {"attempts", sent}};
        if (answer) {
            event["http"] = answer->status;
            if (answer->code)
                event["code"] = *answer->code;
        }
        if (!message.empty())
            event["message"] = message;
        if (!zoom_status.empty())
            event["zoom_status"] = zoom_status;
        log_event("row", event);
    }
    if (!ctx.requests.log.verbose)
        return;
    auto line = row_line(item, std::string(info_of(what).name));
    if (answer)
        line += " (HTTP " + std::to_string(answer->status) +
                (answer->code ? ", code " + std::to_string(*answer->code) : "") + ")";
    if (!message.empty())
        line += ": " + terminal_safe(message);
    ctx.requests.log.line(line);
}

// The row has an outcome.
void finish_row(row_context& ctx, const work_item& item, outcome what, int sent,
                const zoom_try& t) {
    auto& stop = ctx.requests.stop;
    auto& tally = ctx.tally;
    if (what != outcome::failed) {
        record(ctx, item, what, sent, t, what == outcome::created ? "" : t.answer->message);
        tally.consecutive_failed = 0;
        if (what != outcome::rejected)
            tally.breaker.passed();
        else if (tally.breaker.refused(t.answer->code, item.key))
            stop.request(exit_code::no_permission, tally.breaker.message());
        return;
    }
    const bool stopping = stop.stopping();
    if (t.what == verdict::rate_limited) {
        record(ctx, item, what, sent, t,
               t.problem + " (" + std::to_string(ctx.requests.retry.rate_limited_per_row) +
                   " per-second 429s for this row; the next run sends it again)");
        return;
    }
    record(ctx, item, what, sent, t, stopping ? "interrupted after: " + t.problem : t.problem);
    if (!stopping && ++tally.consecutive_failed >= outage_rows)
        stop.request(exit_code::unavailable, "Zoom unreachable or failing: " + t.problem);
}

// Zoom refused for the account, the token or zprov's own request, or the connection was
// refused: the run stops; or there are no seats for the row's user type: rows of that type
// are held back.
void stop_for(row_context& ctx, const work_item& item, const zoom_try& t, next_step step) {
    auto& stop = ctx.requests.stop;
    switch (step) {
    case next_step::stop_account:
        stop.request(exit_code::no_permission,
                     "Zoom refused the request for the account, not the row (" + t.problem +
                         "): " + account_fix(*t.answer) +
                         ". The unsent rows stay pending: rerun after the fix");
        return;
    case next_step::stop_client:
        stop.request(exit_code::software,
                     "Zoom says zprov's request is malformed (" + t.problem +
                         "): zprov's own fault, not the sheet's. Stopped; please report it with "
                         "the output of --trace");
        return;
    case next_step::stop_connection:
        stop.request(t.result.failure->proxy_refused() ? exit_code::no_permission
                                                       : exit_code::unavailable,
                     t.problem);
        return;
    case next_step::hold_type:
        ctx.tally.seats.hold(item.user.type, *t.answer);
        ctx.tally.seats.held_back(item.user.type);
        ++ctx.tally.count.pending;
        ctx.requests.log.line_if_verbose(
            row_line(item, terminal_safe(t.problem) + "; no more rows of this user type are sent"));
        return;
    default:
        stop.request(exit_code::no_permission, "Zoom refused the access token (" + t.problem + ")");
        return;
    }
}

// A re-invite's new create answered 409 and the lookup names the very id its DELETE removed:
// the DELETE has not landed yet, and the user is not `exists`. Asks Zoom about that id until
// it is gone (bounded); true when the create is to be sent again (`may_resend`). Otherwise the
// create's intent is settled as having had no effect: the next run sends it again (and its
// 409 is weighed the same way).
net::awaitable<bool> wait_for_delete(row_context& ctx, connection& connection,
                                     const work_item& item, const std::string& deleted,
                                     const zoom_try& t, bool may_resend) {
    for (int i = 0; i < late_delete_gets; ++i) {
        co_await sleep_unless_stopped(ctx.requests.stop,
                                      ctx.requests.retry.backoff_base * late_delete_waits);
        if (ctx.requests.stop.stopping())
            break;
        const auto found = co_await look_up(ctx.requests, connection, deleted);
        if (found.where == user_lookup::found::elsewhere) { // 404/1001: the DELETE landed
            if (!may_resend)
                break;
            ctx.journal.settled(item, t.answer->status,
                                "409 while the re-invite's DELETE of " + deleted +
                                    " had not landed yet; sent again");
            co_return true;
        }
        if (found.where != user_lookup::found::here)
            break;
    }
    ctx.journal.settled(item, t.answer->status,
                        "409: the re-invite's DELETE of " + deleted +
                            " has not landed yet in Zoom; the next run sends the create again");
    ctx.requests.log.line(row_line(item, "re-invite: Zoom still knows the user just deleted (" +
                                             terminal_safe(deleted) +
                                             "); the next run creates it again"));
    ++ctx.tally.count.reinvites_failed;
    co_return false;
}

// A 409: Zoom knows the address. Where the user is decides the outcome. True when the create
// is to be sent again (a re-invite's DELETE that landed late; `may_resend`: not yet resent).
net::awaitable<bool> settle_conflict(row_context& ctx, connection& connection,
                                     const work_item& item, zoom_try& t, int sent,
                                     bool may_resend) {
    const auto found = co_await look_up(ctx.requests, connection, item.user.email);
    const auto& deleted = ctx.journal.summary().reinvite_deleted;
    if (auto it = deleted.find(item.key);
        found.where == user_lookup::found::here && it != deleted.end() && it->second == found.id) {
        const auto id = it->second;
        co_return co_await wait_for_delete(ctx, connection, item, id, t, may_resend);
    }
    switch (found.where) {
    case user_lookup::found::here: {
        if (item.recreate_expired && found.expired) {
            // Zoom keeps the lapsed invitation and refuses a new one: the row stays expired.
            t.answer->user_id = item.expired_id;
            ctx.journal.outcome(item, outcome::created, sent, &*t.answer,
                                "the invitation expired and Zoom refuses to create the user "
                                "again (" +
                                    t.problem +
                                    ", then 1120): resend the invitation from Zoom's web portal "
                                    "(Users, Pending, Resend)",
                                std::string(name_of(zoom_state::expired)));
            ++ctx.tally.count.expired;
            ctx.requests.log.line(row_line(item, "still expired: Zoom refuses a new invitation; "
                                                 "resend it from Zoom's web portal"));
            ctx.tally.breaker.passed();
            break;
        }
        t.answer->user_id = found.id;
        if (created_by_this_import(item, found))
            record(ctx, item, outcome::created, sent, t,
                   "created by this import's unanswered request of " + iso8601(*item.doubt_since) +
                       " (Zoom's user_created_at " + iso8601(*found.user_created_at) +
                       "; the resend was answered 409)",
                   found.status);
        else
            record(ctx, item, outcome::exists, sent, t, t.answer->message, found.status);
        ctx.tally.breaker.passed();
        break;
    }
    case user_lookup::found::elsewhere:
        record(ctx, item, outcome::elsewhere, sent, t,
               "a Zoom user outside this account holds the address (" + t.problem +
                   "; not found in this account): invite the person with Zoom's \"add "
                   "existing users\"");
        ctx.tally.breaker.passed();
        break;
    case user_lookup::found::refused:
        ctx.journal.settled(item, t.answer->status,
                            t.problem + "; looking the user up was refused");
        ctx.requests.stop.request(
            exit_code::no_permission,
            "Zoom refused to look a user up after a 409 (" + found.problem + "): add " +
                std::string(zoom_api::scope_user_read_admin) + " (classic scopes) or " +
                std::string(zoom_api::scope_user_read_granular) +
                " (granular scopes) to the app. The unsent rows stay pending");
        break;
    case user_lookup::found::unknown:
        record(ctx, item, outcome::failed, sent, t,
               t.problem + "; looking the user up failed (" + found.problem +
                   "): the next run sends it again");
        break;
    }
    co_return false;
}
} // namespace

std::string row_line(const work_item& item, const std::string& what) {
    return "line " + std::to_string(item.line) + ": " + terminal_safe(item.user.email) + ": " +
           what;
}

net::awaitable<void> send_row(row_context& ctx, connection& connection, work_item& item) {
    if (item.steps_only) { // created by an earlier run: not a create, not held by the cap
        co_await apply_steps(ctx, connection, item);
        co_return;
    }
    if (!item.reinvite_id.empty()) { // a stale invitation: the user is deleted first
        const bool deleted = co_await delete_for_reinvite(ctx, connection, item);
        if (!deleted)
            co_return;
    }
    auto& rng = ctx.requests.rng;
    const std::string boundary = "zprov-" + std::to_string(rng()) + std::to_string(rng());
    auto body = make_user_request(item.user, ctx.options.action, ctx.options.body, boundary);
    const zoom_request create{.method = "POST",
                              .path = create_target(ctx.requests),
                              .content_type = std::move(body.content_type),
                              .body = body.text,
                              .shown_body = redacted(body.text, item.user),
                              .kind = call_kind::create};
    for (int round = 0;; ++round) {
        create_steps steps(ctx, item);
        row_attempts tries;
        auto end = co_await call_zoom(ctx.requests, connection, create, tries, steps);
        release_create(ctx, item); // a re-invite's reserved create, if no intent spent it
        if (!end.said) {           // not sent to the end: the row stays pending for the next run
            co_await ctx.syncer.durable(ctx.journal.written());
            co_return;
        }
        const auto step = end.said->step;
        if (step == next_step::record)
            finish_row(ctx, item, *end.said->record, steps.sent(), end.last);
        else if (step == next_step::look_up) {
            const bool again =
                co_await settle_conflict(ctx, connection, item, end.last, steps.sent(), round == 0);
            if (again) {
                co_await ctx.syncer.durable(ctx.journal.written());
                continue;
            }
        } else
            stop_for(ctx, item, end.last, step);
        break;
    }
    co_await ctx.syncer.durable(ctx.journal.written()); // the row's last record
    co_await apply_steps(ctx, connection, item);        // group, profile: if owed
}

} // namespace zprov
