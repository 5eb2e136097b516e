#include "zprov/run/api_call.hpp"

#include "zprov/net.hpp"
#include "zprov/text.hpp"
#include "zprov/token_holder.hpp"
#include "zprov/zoom/api.hpp"

namespace zprov {

namespace {
using steady = std::chrono::steady_clock;

// As a row's: the backoff of its retries, and how often a wait looks at the stop.
constexpr std::chrono::milliseconds backoff_base{500}, backoff_cap{30'000}, stop_check_step{200};

net::awaitable<void> sleep_for(api_caller& c, steady::duration d) {
    net::steady_timer timer(c.executor);
    const auto until = steady::now() + d;
    while (!c.stopping() && steady::now() < until) {
        timer.expires_after(std::min<steady::duration>(until - steady::now(), stop_check_step));
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
}

net::awaitable<pacer_ticket> turn_of(api_caller& c) {
    net::steady_timer timer(c.executor);
    for (;;) {
        auto grant = c.pacer.try_take(steady::now());
        if (grant.slot != 0)
            co_return pacer_ticket(c.pacer, grant.slot);
        timer.expires_after(std::min<steady::duration>(grant.wait, stop_check_step));
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
        if (c.stopping())
            co_return pacer_ticket{};
    }
}

struct tries {
    int failures = 0, refreshes = 0, rate_limited = 0;
};

// What one answer means; true when it settles the call.
bool settles(api_caller& c, const call_result& call, api_result& r, tries& t) {
    const auto& reply = call.reply;
    if (reply.status >= 200 && reply.status < 300) {
        r.what = api_result::kind::done;
        r.reply = reply;
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

net::awaitable<api_result> call_api(api_caller& c, http_call request) {
    api_result r;
    tries t;
    while (!c.stopping()) {
        auto opened = co_await c.session.open();
        if (opened.ok()) {
            auto turn = co_await turn_of(c);
            if (!turn) {
                r.problem = "not sent: the run is stopping";
                break;
            }
            const auto token = co_await c.tokens.token();
            request.authorization = "Bearer " + token;
            if (c.trace)
                c.trace(describe_request(c.session.where(), request) + "\n" +
                        terminal_safe(request.body));
            auto call = co_await c.session.call(request);
            if (call.sent) {
                r.sent = true;
                turn.sent(call.sent_at);
            }
            if (call.ok()) {
                if (c.trace)
                    c.trace(describe_reply(call.reply) + terminal_safe(call.reply.body));
                if (settles(c, call, r, t)) {
                    if (r.what == api_result::kind::refused && r.said == verdict::refresh_token)
                        r.what = api_result::kind::failed;
                    co_return r;
                }
                if (r.said == verdict::refresh_token) {
                    ++t.refreshes;
                    co_await c.tokens.refresh(token);
                    continue;
                }
            } else {
                r.problem = call.error();
                if (++t.failures >= c.retry.max_attempts)
                    break;
            }
        } else {
            r.problem = opened.error();
            if (++t.failures >= c.retry.max_attempts)
                break;
        }
        co_await sleep_for(
            c, backoff_delay(t.failures + t.rate_limited, backoff_base, backoff_cap, c.rng));
    }
    r.what = api_result::kind::failed;
    co_return r;
}

} // namespace zprov
