#include "zprov/run/row_sender.hpp"

#include "zprov/http_session.hpp"
#include "zprov/net.hpp"
#include "zprov/run/answer_effects.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/profile_steps.hpp"
#include "zprov/run/reinvites.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/user_lookup.hpp"
#include "zprov/text.hpp"
#include "zprov/token_holder.hpp"
#include "zprov/user_request.hpp"
#include "zprov/zoom/api.hpp"

#include <optional>

namespace zprov {

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr int outage_rows = 3; // rows failing in a row that mean Zoom is unreachable

// One attempt at a row, as the retry policy sees it.
struct attempt {
    call_result call;
    bool intent_open = false; // an intent was journaled for it
    bool abandoned = false;   // the run gave up while it waited for its turn: not sent
    bool probing = false;     // sent to ask Zoom whether the day's budget is spent
    std::string token;        // the token it was sent with
    std::optional<zoom_answer> answer;
    verdict what = verdict::retry;
    std::string problem; // "HTTP 503: ..." or the transport's error
    sys_seconds intent_at{};
};

// A 409 for a user Zoom created this long before the row's unanswered request still counts
// as that request's: clocks differ.
constexpr auto clock_skew = std::chrono::seconds(60);

enum class flow { again, done };

// The pacer of the row's create (POST /users, or the sub-account's): Light.
send_pacer& create_pacer(row_context& ctx) {
    return ctx.requests.pacers.for_call("POST", create_target(ctx.requests));
}

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

void read_reply(row_context& ctx, attempt& a) {
    const auto& reply = a.call.reply;
    a.answer = read_answer(reply.status, reply.body, reply.header(zoom_api::rate_limit_type_header),
                           reply.header(zoom_api::retry_after_header));
    a.answer->quota_limit = read_count(reply.header(zoom_api::rate_limit_limit_header));
    a.answer->quota_remaining = read_count(reply.header(zoom_api::rate_limit_remaining_header));
    a.what = classify(*a.answer);
    if (ctx.requests.log.trace ||
        (ctx.requests.log.verbose && a.what != verdict::created && a.what != verdict::exists))
        ctx.requests.log.line(describe_reply(reply) + terminal_safe(reply.body));
    a.problem = "HTTP " + std::to_string(a.answer->status) +
                (a.answer->message.empty() ? "" : ": " + a.answer->message);
}

// Connect, journal the intent, take a turn, send. std::nullopt: nothing was sent and the row
// goes around again (the budget was spent meanwhile).
net::awaitable<std::optional<attempt>> send_once(row_context& ctx, http_session& session,
                                                 work_item& item, const request_body& body,
                                                 int& sent) {
    attempt a;
    // Connect first: a handshake between the pacer's grant and the send would bunch requests
    // up as the server sees them.
    a.call = co_await session.open();
    if (!a.call.ok()) {
        a.problem = a.call.error();
        co_return a;
    }
    // Checked again with no co_await before the intent: other workers may have spent the
    // last of the day's budget while this one connected.
    const auto budget = take_budget(ctx);
    if (budget == budget_state::spent || budget == budget_state::wait)
        co_return std::nullopt;
    a.probing = budget == budget_state::probe;
    // The intent is on disk before the turn is taken, so that nothing slow lies between the
    // pacer's grant and the write it paces.
    a.intent_at = std::chrono::floor<std::chrono::seconds>(now_utc());
    ctx.journal.intent(item, ++sent);
    // On disk before the request is written; the flush runs off the I/O thread, so the other
    // workers go on meanwhile.
    co_await ctx.syncer.durable(ctx.journal.written());
    a.intent_open = true;
    auto turn =
        co_await take_turn(ctx.requests.stop, &stop_state::abandons_waiting, create_pacer(ctx));
    // After the turn: a token taken before a long wait could expire during it.
    std::optional<std::string> token;
    if (turn)
        token = co_await token_unless_abandoned(ctx.requests);
    if (!token) {
        --sent;
        ctx.journal.settled(item, 0, "not sent: " + ctx.requests.stop.message());
        a.abandoned = true;
        co_return a;
    }
    a.token = std::move(*token);
    http_call call{"POST", ctx.requests.api.target(create_target(ctx.requests)), body.content_type,
                   body.text, "Bearer " + a.token};
    if (ctx.requests.log.trace)
        ctx.requests.log.line(describe_request(ctx.requests.api, call) + "\n" +
                              terminal_safe(redacted(body.text, item.user)));
    a.call = co_await session.call(call);
    if (a.call.sent) {
        ++ctx.tally.count.requests;
        turn.sent(a.call.sent_at);
    }
    if (a.call.ok())
        read_reply(ctx, a);
    else
        a.problem = a.call.error();
    co_return a;
}

void record(row_context& ctx, const work_item& item, outcome what, int sent, const attempt& a,
            const std::string& message, const std::string& zoom_status = {}) {
    const zoom_answer* answer = a.answer ? &*a.answer : nullptr;
    ctx.journal.outcome(item, what, sent, answer, message, zoom_status);
    ctx.tally.count.add(what);
    if (!ctx.requests.log.verbose)
        return;
    std::string line = "line " + std::to_string(item.line) + ": " + terminal_safe(item.user.email) +
                       ": " + std::string(info_of(what).name);
    if (answer)
        line += " (HTTP " + std::to_string(answer->status) +
                (answer->code ? ", code " + std::to_string(*answer->code) : "") + ")";
    if (!message.empty())
        line += ": " + terminal_safe(message);
    ctx.requests.log.line(line);
}

// The row has an outcome.
flow finish_row(row_context& ctx, const work_item& item, outcome what, int sent, const attempt& a) {
    if (what != outcome::failed) {
        record(ctx, item, what, sent, a, what == outcome::created ? "" : a.answer->message);
        ctx.tally.consecutive_failed = 0;
        if (what != outcome::rejected)
            ctx.tally.breaker.passed();
        else if (ctx.tally.breaker.refused(a.answer->code, item.key))
            ctx.requests.stop.request(exit_code::no_permission, ctx.tally.breaker.message());
        return flow::done;
    }
    const bool stopping = ctx.requests.stop.stopping();
    if (a.what == verdict::rate_limited) {
        record(ctx, item, what, sent, a,
               a.problem + " (" + std::to_string(ctx.requests.retry.rate_limited_per_row) +
                   " per-second 429s for this row; the next run sends it again)");
        return flow::done;
    }
    record(ctx, item, what, sent, a, stopping ? "interrupted after: " + a.problem : a.problem);
    if (!stopping && ++ctx.tally.consecutive_failed >= outage_rows)
        ctx.requests.stop.request(exit_code::unavailable,
                                  "Zoom unreachable or failing: " + a.problem);
    return flow::done;
}

net::awaitable<flow> slow_down(row_context& ctx, const zoom_answer& answer) {
    auto until = retry_after_time(answer.retry_after, now_utc());
    auto delay =
        until && *until > now_utc()
            ? std::chrono::duration_cast<steady::duration>(*until - now_utc())
            : steady::duration(backoff_delay(1, backoff_base, backoff_cap, ctx.requests.rng));
    co_await sleep_unless_stopped(ctx.requests.stop,
                                  std::min<steady::duration>(delay, backoff_cap));
    // Stopped while waiting: the intent is settled, so the row is simply pending.
    co_return ctx.requests.stop.stopping() ? flow::done : flow::again;
}

// Zoom refused for the account, the token or zprov's own request: the run stops; or there
// are no seats for the row's user type: rows of that type are held back.
void stop_for(row_context& ctx, const work_item& item, const attempt& a, next_step step) {
    switch (step) {
    case next_step::stop_account:
        ctx.requests.stop.request(exit_code::no_permission,
                                  "Zoom refused the request for the account, not the row (" +
                                      a.problem + "): " + account_fix(*a.answer) +
                                      ". The unsent rows stay pending: rerun after the fix");
        return;
    case next_step::stop_client:
        ctx.requests.stop.request(
            exit_code::software,
            "Zoom says zprov's request is malformed (" + a.problem +
                "): zprov's own fault, not the sheet's. Stopped; please report it "
                "with the output of --trace");
        return;
    case next_step::hold_type:
        ctx.tally.seats.hold(item.user.type, *a.answer);
        ctx.tally.seats.held_back(item.user.type);
        ++ctx.tally.count.pending;
        if (ctx.requests.log.verbose)
            ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                                  terminal_safe(item.user.email) + ": " + terminal_safe(a.problem) +
                                  "; no more rows of this user type are sent");
        return;
    default:
        ctx.requests.stop.request(exit_code::no_permission,
                                  "Zoom refused the access token (" + a.problem + ")");
        return;
    }
}

// A 409: Zoom knows the address. Where the user is decides the outcome.
net::awaitable<flow> settle_conflict(row_context& ctx, http_session& session, const work_item& item,
                                     attempt& a, int sent) {
    const auto found = co_await look_up(ctx.requests, session, item.user.email);
    switch (found.where) {
    case user_lookup::found::here: {
        a.answer->user_id = found.id;
        const bool ours = item.doubt_since && found.created_at &&
                          *found.created_at + clock_skew >= *item.doubt_since;
        if (ours)
            record(ctx, item, outcome::created, sent, a,
                   "created by this import's unanswered request of " + iso8601(*item.doubt_since) +
                       " (Zoom's created_at " + iso8601(*found.created_at) +
                       "; the resend was answered 409)",
                   found.status);
        else
            record(ctx, item, outcome::exists, sent, a, a.answer->message, found.status);
        ctx.tally.breaker.passed();
        break;
    }
    case user_lookup::found::elsewhere:
        record(ctx, item, outcome::elsewhere, sent, a,
               "a Zoom user outside this account holds the address (" + a.problem +
                   "; not found in this account): invite the person with Zoom's \"add "
                   "existing users\"");
        ctx.tally.breaker.passed();
        break;
    case user_lookup::found::refused:
        ctx.journal.settled(item, a.answer->status,
                            a.problem + "; looking the user up was refused");
        ctx.requests.stop.request(
            exit_code::no_permission,
            "Zoom refused to look a user up after a 409 (" + found.problem + "): add " +
                std::string(zoom_api::scope_user_read_admin) + " (classic scopes) or " +
                std::string(zoom_api::scope_user_read_granular) +
                " (granular scopes) to the app. The unsent rows stay pending");
        break;
    case user_lookup::found::unknown:
        record(ctx, item, outcome::failed, sent, a,
               a.problem + "; looking the user up failed (" + found.problem +
                   "): the next run sends it again");
        break;
    }
    co_return flow::done;
}

net::awaitable<flow> act_on(row_context& ctx, http_session& session, work_item& item, attempt& a,
                            row_attempts& tries, int sent) {
    if (const auto& f = a.call.failure; f && (f->certificate_refused() || f->proxy_refused())) {
        if (a.intent_open) // the handshake failed: nothing was sent
            ctx.journal.settled(item, 0, f->message());
        ctx.requests.stop.request(
            f->proxy_refused() ? exit_code::no_permission : exit_code::unavailable, f->message());
        co_return flow::done;
    }
    if (a.answer)
        note_answer(ctx, create_pacer(ctx), a.what, *a.answer, a.call.sent_at);
    auto d = decide(a.what, tries, ctx.requests.retry, ctx.requests.stop.stopping());
    if (a.what != verdict::created && a.what != verdict::exists && a.what != verdict::rejected &&
        a.what != verdict::elsewhere && a.what != verdict::retry)
        ctx.journal.settled(item, a.answer->status, a.problem); // certainly had no effect
    switch (d.step) {
    case next_step::record:
        co_return finish_row(ctx, item, *d.record, sent, a);
    case next_step::look_up:
        co_return co_await settle_conflict(ctx, session, item, a, sent);
    case next_step::stop_account:
    case next_step::stop_token:
    case next_step::stop_client:
    case next_step::hold_type:
        stop_for(ctx, item, a, d.step);
        co_return flow::done;
    case next_step::refresh_token:
        if (!co_await ctx.requests.tokens.refresh(a.token)) {
            ctx.requests.stop.request(exit_code::no_permission,
                                      "Zoom refused the access token (" + a.problem + ")");
            co_return flow::done;
        }
        co_return flow::again;
    case next_step::pause_for_day: {
        // Until Retry-After, or else the next 00:00 UTC; never past the 00:00 UTC after that
        // (a Retry-After years ahead would stop every later run).
        const auto now = now_utc();
        auto until = retry_after_time(a.answer->retry_after, now);
        if (!until || *until <= now)
            until = next_utc_midnight(now);
        until = std::min(*until, next_utc_midnight(now) + std::chrono::days(1));
        record_pause(ctx, *until, "Zoom's daily create limit was reached (" + a.problem + ")");
        co_return flow::again; // hold_for_pause() stops, or waits with --wait
    }
    case next_step::slow_down:
        co_return co_await slow_down(ctx, *a.answer);
    case next_step::back_off:
        break;
    }
    if (ctx.requests.log.verbose)
        ctx.requests.log.line("line " + std::to_string(item.line) + ": " +
                              terminal_safe(item.user.email) + ": " + terminal_safe(a.problem) +
                              "; retrying");
    co_await sleep_unless_stopped(ctx.requests.stop, backoff_delay(tries.failures, backoff_base,
                                                                   backoff_cap, ctx.requests.rng));
    if (ctx.requests.stop.stopping()) {
        record(ctx, item, outcome::failed, sent, a, "interrupted after: " + a.problem);
        co_return flow::done;
    }
    co_return flow::again;
}
} // namespace

net::awaitable<void> send_row(row_context& ctx, http_session& session, work_item& item) {
    if (item.steps_only) { // created by an earlier run: not a create, not held by the cap
        co_await apply_steps(ctx, session, item);
        co_return;
    }
    if (!item.reinvite_id.empty()) { // a stale invitation: the user is deleted first
        const bool deleted = co_await delete_for_reinvite(ctx, session, item);
        if (!deleted)
            co_return;
    }
    const std::string boundary =
        "zprov-" + std::to_string(ctx.requests.rng()) + std::to_string(ctx.requests.rng());
    const auto body = make_user_request(item.user, ctx.options.action, ctx.options.body, boundary);
    row_attempts tries;
    int sent = 0; // requests sent for this row
    for (;;) {
        if (ctx.tally.seats.held(item.user.type)) { // no seats for its type: not sent this run
            ctx.tally.seats.held_back(item.user.type);
            ++ctx.tally.count.pending;
            co_return;
        }
        if (!co_await hold_for_pause(ctx))
            co_return; // not sent this time: the row stays pending for the next run
        auto a = co_await send_once(ctx, session, item, body, sent);
        if (!a)
            continue;
        if (a->probing) {
            ctx.day.budget.probe_answered(a->what == verdict::created,
                                          a->answer ? a->answer->quota_remaining : std::nullopt);
            ctx.day.answered->notify();
        }
        if (a->what == verdict::created)
            note_quota(ctx, *a->answer); // before its outcome: its intent is still open
        if (a->abandoned) {
            co_await ctx.syncer.durable(ctx.journal.written());
            co_return;
        }
        if (a->what == verdict::retry && a->call.sent && !item.doubt_since)
            item.doubt_since = a->intent_at; // the request may have acted
        const auto next = co_await act_on(ctx, session, item, *a, tries, sent);
        if (next == flow::done) {
            co_await ctx.syncer.durable(ctx.journal.written()); // the row's last record
            co_await apply_steps(ctx, session, item);           // group, profile: if owed
            co_return;
        }
    }
}

} // namespace zprov
