#include "zprov/run/api_call.hpp"

#include "zprov/net.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/text.hpp"
#include "zprov/token_holder.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

namespace zprov {

namespace {
using steady = std::chrono::steady_clock;

struct tries {
    int failures = 0, refreshes = 0, rate_limited = 0;
};

// What one answer means; true when it settles the call.
bool settles(api_caller& c, const call_result& call, api_result& r, tries& t) {
    const auto& reply = call.reply;
    r.reply = reply;
    if (reply.status >= 200 && reply.status < 300) {
        r.what = api_result::kind::done;
        return true;
    }
    r.answer = read_answer(reply.status, reply.body, reply.header(zoom_api::rate_limit_type_header),
                           reply.header(zoom_api::retry_after_header));
    r.said = classify(r.answer);
    r.problem = "HTTP " + std::to_string(r.answer.status) +
                (r.answer.message.empty() ? "" : ": " + r.answer.message);
    switch (r.said) {
    case verdict::rate_limited:
    case verdict::daily_limit: // not a create: the daily cap does not apply
        c.pacer.slow_down(steady::now(), call.sent_at);
        return ++t.rate_limited >= c.retry.rate_limited_per_row;
    case verdict::retry:
        return ++t.failures >= c.retry.max_attempts;
    case verdict::refresh_token:
        return t.refreshes >= c.retry.refreshes_per_row;
    default:
        r.what = api_result::kind::refused;
        return true;
    }
}
} // namespace

namespace {
// One try: a connection, its turn, the token, the request; and what comes next.
enum class try_end { settled, again, refreshed, give_up };

// A try that failed before its request was written: it counts as a failure, and while the
// run stops it is the last.
try_end failed_unsent(api_caller& c, tries& t) {
    if (c.stop.stopping() || ++t.failures >= c.retry.max_attempts)
        return try_end::give_up;
    return try_end::again;
}

net::awaitable<try_end> try_once(api_caller& c, http_call& request, api_result& r, tries& t) {
    const gives_up give_up = &stop_state::abandons_waiting;
    // Each co_await's result is named: g++ 12 mis-destroys temporaries of co_await
    // expressions inside conditions.
    call_result opened = co_await c.session.open();
    if (!opened.ok()) {
        r.problem = opened.error();
        co_return failed_unsent(c, t);
    }
    pacer_ticket turn = co_await take_turn(c.stop, give_up, c.pacer);
    std::optional<std::string> token;
    if (turn)
        token = co_await token_unless(c.stop, give_up, c.tokens);
    if (!token) {
        r.problem = "not sent: " + c.stop.message();
        co_return try_end::give_up;
    }
    request.authorization = "Bearer " + *token;
    if (c.trace) {
        auto text = describe_request(c.session.where(), request);
        if (!request.body.empty())
            text.append("\n").append(terminal_safe(request.body));
        c.trace(text);
    }
    auto call = co_await c.session.call(request);
    if (call.sent) {
        r.sent = true;
        turn.sent(call.sent_at);
    }
    if (!call.ok()) {
        r.problem = call.error();
        if (!call.sent)
            co_return failed_unsent(c, t);
        co_return ++t.failures >= c.retry.max_attempts ? try_end::give_up : try_end::again;
    }
    if (c.trace)
        c.trace(describe_reply(call.reply) + terminal_safe(call.reply.body));
    if (settles(c, call, r, t)) {
        if (r.what == api_result::kind::refused && r.said == verdict::refresh_token)
            r.what = api_result::kind::failed;
        co_return try_end::settled;
    }
    if (r.said != verdict::refresh_token)
        co_return try_end::again;
    ++t.refreshes;
    co_await c.tokens.refresh(*token);
    co_return try_end::refreshed;
}
} // namespace

net::awaitable<api_result> call_api(api_caller& c, http_call request) {
    api_result r;
    tries t;
    while (!c.stop.abandons_waiting()) {
        const try_end end = co_await try_once(c, request, r, t);
        switch (end) {
        case try_end::settled:
            co_return r;
        case try_end::give_up:
            r.what = api_result::kind::failed;
            co_return r;
        case try_end::refreshed:
            continue;
        case try_end::again:
            break;
        }
        const auto delay =
            backoff_delay(t.failures + t.rate_limited, backoff_base, backoff_cap, c.rng);
        co_await wait_unless(c.stop, &stop_state::abandons_waiting, steady::now() + delay);
    }
    r.what = api_result::kind::failed;
    co_return r;
}

bool user_gone(const api_result& r) {
    return r.what == api_result::kind::refused && r.answer.status == 404 &&
           r.answer.code == zoom_code::user_not_found;
}

} // namespace zprov
