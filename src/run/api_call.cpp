#include "zprov/run/api_call.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/token.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/worker_sizer.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

#include <algorithm>

namespace zprov {

namespace {
using steady = std::chrono::steady_clock;

// The request's rate-limit category, by its method and path (the facts' table).
rate_category category_of(const zoom_request& r) {
    return pacer_set::category_of(r.method, std::string_view(r.path).substr(0, r.path.find('?')));
}

// What ends a call's waits: a create's, any stop (a paused run sends no more creates);
// another call's, a stop that abandons waiting.
stop_level waits_of(call_kind kind) {
    return kind == call_kind::create ? stop_level::stopping : stop_level::abandoning;
}

void read_reply(request_context& ctx, zoom_try& t) {
    const auto& reply = t.result.reply;
    t.answer = read_answer(reply.status, reply.body, reply.header(zoom_api::rate_limit_type_header),
                           reply.header(zoom_api::retry_after_header));
    t.answer->quota_limit = read_count(reply.header(zoom_api::rate_limit_limit_header));
    t.answer->quota_remaining = read_count(reply.header(zoom_api::rate_limit_remaining_header));
    if (ctx.log.trace)
        ctx.log.line(describe_reply(reply) + terminal_safe(reply.body));
    t.problem = "HTTP " + std::to_string(t.answer->status) +
                (t.answer->message.empty() ? "" : ": " + t.answer->message);
}

// After a per-second 429: until Retry-After when it gives a time ahead, else a first
// backoff; never longer than the backoff's cap.
steady::duration slow_down_delay(request_context& ctx, const zoom_answer& answer) {
    const auto now = now_utc();
    const auto until = retry_after_time(answer.retry_after, now);
    const auto delay = until && *until > now
                           ? std::chrono::duration_cast<steady::duration>(*until - now)
                           : steady::duration(backoff_delay(1, ctx.retry.backoff_base,
                                                            ctx.retry.backoff_cap, ctx.rng));
    return std::min<steady::duration>(delay, ctx.retry.backoff_cap);
}
} // namespace

net::awaitable<bool> call_steps::before_try() {
    co_return true;
}

net::awaitable<bool> call_steps::before_turn() {
    co_return true;
}

bool call_steps::after_turn() {
    return true;
}

void call_steps::after_try(const zoom_try&, const decision*) {}

bool call_end::answered() const {
    if (!said || !last.answer)
        return false;
    switch (said->step) {
    case next_step::record:
        return said->record != outcome::failed;
    case next_step::stop_token:
    case next_step::stop_connection:
        return false;
    default:
        return true;
    }
}

bool call_end::user_gone() const {
    return answered() && last.answer->status == 404 &&
           last.answer->code == zoom_code::user_not_found;
}

net::awaitable<zoom_try> send_once(request_context& ctx, connection& connection,
                                   const zoom_request& request, call_steps& steps) {
    zoom_try t;
    // Connect first: a handshake between the pacer's grant and the send would bunch requests
    // up as the server sees them. Each co_await's result is named: g++ 12 mis-destroys
    // temporaries of co_await expressions inside conditions.
    t.result = co_await connection.open();
    if (!t.result.ok()) {
        t.problem = t.result.error();
        t.what = judge_failure(t.result.failure->hopeless(), false, request.kind);
        co_return t;
    }
    const bool go = co_await steps.before_turn();
    if (!go) {
        t.deferred = true;
        co_return t;
    }
    const auto category = category_of(request);
    auto& pacer = ctx.pacers.of(category);
    if (ctx.workers)
        ctx.workers->ready(&connection, steady::now());
    pacer_ticket turn = co_await take_turn(ctx.stop, stop_level::abandoning, pacer);
    if (turn && ctx.workers)
        ctx.workers->granted(&connection, steady::now());
    // After the turn: a token taken before a long wait could expire during it.
    std::optional<std::string> token;
    if (turn)
        token = co_await token_unless_abandoned(ctx);
    // A create whose turn came after Zoom's daily 429 is not sent (after_turn).
    if (token && !steps.after_turn()) {
        t.deferred = true;
        co_return t;
    }
    if (!token) {
        t.abandoned = true;
        t.problem = "not sent: " + ctx.stop.message();
        co_return t;
    }
    t.token = std::move(*token);
    http_call call{request.method, ctx.api.target(request.path), request.content_type,
                   request.body,   "Bearer " + t.token,          request.answer_limit};
    if (ctx.log.trace) {
        auto text = describe_request(ctx.api, call);
        if (!request.body.empty())
            text.append("\n").append(
                terminal_safe(request.shown_body.empty() ? request.body : request.shown_body));
        ctx.log.line(text);
    }
    if (request.kind == call_kind::other && ctx.sending)
        ctx.sending(category);
    t.result = co_await connection.call(call);
    if (t.result.sent)
        turn.sent(t.result.sent_at);
    if (t.result.ok())
        read_reply(ctx, t);
    else
        t.problem = t.result.error();
    const auto& failure = t.result.failure;
    t.what = t.answer
                 ? judge(*t.answer, request.kind)
                 : judge_failure(failure->hopeless(), failure->answer_too_large(), request.kind);
    // A create's answers feed its pacer in its steps (run/answer_effects); another call's
    // per-second 429 slows the pacer here.
    if (request.kind == call_kind::other && t.what == verdict::rate_limited)
        pacer.slow_down(steady::now(), t.result.sent_at);
    co_return t;
}

net::awaitable<call_end> call_zoom(request_context& ctx, connection& connection,
                                   const zoom_request& request, row_attempts& attempts,
                                   call_steps& steps) {
    const stop_level give_up = waits_of(request.kind);
    call_end end;
    for (;;) {
        if (ctx.stop.abandons_waiting()) {
            end.last.problem = "not sent: " + ctx.stop.message();
            co_return end;
        }
        const bool go = co_await steps.before_try();
        if (!go)
            co_return end;
        end.last = co_await send_once(ctx, connection, request, steps);
        // A halt abandons the call where it is: nothing more is written for it, and a request
        // in flight stays in doubt until a rerun settles it.
        if (ctx.stop.halted())
            throw boost::system::system_error(net::error::operation_aborted);
        auto& t = end.last;
        end.sent = end.sent || t.result.sent;
        if (t.deferred)
            continue;
        if (t.abandoned) {
            steps.after_try(t, nullptr);
            co_return end;
        }
        const auto next = decide(t.what, attempts, ctx.retry, ctx.stop.reached(give_up));
        steps.after_try(t, &next);
        switch (next.step) {
        case next_step::refresh_token: {
            const bool refreshed = co_await ctx.tokens.refresh(t.token);
            if (refreshed)
                continue;
            end.said = decision{next_step::stop_token, std::nullopt};
            co_return end;
        }
        case next_step::pause_for_day:
            continue; // the steps recorded the pause: before_try stops, or waits with --wait
        case next_step::slow_down:
            co_await wait_unless(ctx.stop, give_up,
                                 steady::now() + slow_down_delay(ctx, *t.answer));
            if (ctx.stop.reached(give_up))
                co_return end; // not sent again: nothing the try did stands
            continue;
        case next_step::back_off:
            co_await wait_unless(ctx.stop, give_up,
                                 steady::now() + backoff_delay(attempts.failures,
                                                               ctx.retry.backoff_base,
                                                               ctx.retry.backoff_cap, ctx.rng));
            if (ctx.stop.reached(give_up)) {
                end.said = decision{next_step::record, outcome::failed};
                co_return end;
            }
            continue;
        default:
            end.said = next;
            co_return end;
        }
    }
}

net::awaitable<bool> counted_steps::before_try() {
    co_return !(once_ && may_have_acted_);
}

void counted_steps::after_try(const zoom_try& done, const decision*) {
    if (!done.result.sent)
        return;
    ++written_;
    may_have_acted_ = may_have_acted_ || done.what != verdict::refresh_token;
}

net::awaitable<call_end> call_zoom(request_context& ctx, connection& connection,
                                   const zoom_request& request) {
    row_attempts attempts;
    call_steps none;
    co_return co_await call_zoom(ctx, connection, request, attempts, none);
}

std::string page_target(const std::string& path_and_query, int page_size, const std::string& next) {
    auto target = path_and_query;
    target += path_and_query.find('?') == std::string::npos ? '?' : '&';
    target += "page_size=" + std::to_string(page_size);
    if (!next.empty())
        target += "&next_page_token=" + percent_encode(next);
    return target;
}

} // namespace zprov
