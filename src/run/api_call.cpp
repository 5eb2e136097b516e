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

// What one answer means, by the retry policy rows follow (decide); true when it settles
// the call.
bool settles(api_caller& c, const call_result& call, api_result& r, row_attempts& t) {
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
    // The daily cap counts creates only: for another call a daily 429 is a per-second one.
    const verdict said = r.said == verdict::daily_limit ? verdict::rate_limited : r.said;
    if (said == verdict::rate_limited)
        c.pacer.slow_down(steady::now(), call.sent_at);
    const auto next = decide(said, t, c.retry, /*stopping=*/false);
    switch (next.step) {
    case next_step::slow_down:
    case next_step::back_off:
    case next_step::refresh_token:
        return false;
    case next_step::stop_token: // refused after refreshing: the call failed, the run goes on
        r.what = api_result::kind::failed;
        return true;
    case next_step::record:
        if (next.record == outcome::failed) { // out of tries: failed, r.what as it is
            r.what = api_result::kind::failed;
            return true;
        }
        break;
    default:
        break;
    }
    r.what = api_result::kind::refused;
    return true;
}
} // namespace

namespace {
// One try: a connection, its turn, the token, the request; and what comes next.
enum class try_end { settled, again, refreshed, give_up };

// A try that failed before its request was written: it counts as a failure, and while the
// run stops it is the last.
try_end failed_unsent(api_caller& c, row_attempts& t) {
    if (c.stop.stopping() || ++t.failures >= c.retry.max_attempts)
        return try_end::give_up;
    return try_end::again;
}

net::awaitable<try_end> try_once(api_caller& c, http_call& request, api_result& r,
                                 row_attempts& t) {
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
        r.repeats = call.failure->answer_too_large(); // retrying cannot help
        co_return r.repeats || ++t.failures >= c.retry.max_attempts ? try_end::give_up
                                                                    : try_end::again;
    }
    if (c.trace)
        c.trace(describe_reply(call.reply) + terminal_safe(call.reply.body));
    if (settles(c, call, r, t))
        co_return try_end::settled;
    if (r.said != verdict::refresh_token)
        co_return try_end::again;
    co_await c.tokens.refresh(*token);
    co_return try_end::refreshed;
}
} // namespace

std::string page_target(const std::string& path_and_query, int page_size, const std::string& next) {
    auto target = path_and_query;
    target += path_and_query.find('?') == std::string::npos ? '?' : '&';
    target += "page_size=" + std::to_string(page_size);
    if (!next.empty())
        target += "&next_page_token=" + percent_encode(next);
    return target;
}

net::awaitable<api_result> call_api(api_caller& c, http_call request) {
    api_result r;
    row_attempts t;
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
