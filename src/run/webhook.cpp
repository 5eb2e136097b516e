#include "zprov/run/webhook.hpp"

#include "zprov/net/asio.hpp"
#include "zprov/net/proxy.hpp"
#include "zprov/net/session.hpp"
#include "zprov/run/notify.hpp"
#include "zprov/run/row_waits.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>

namespace zprov {

namespace {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Whether another attempt may be answered differently: no answer, or one that says "later".
bool worth_retrying(const call_result& r) {
    if (!r.ok())
        return !r.failure->hopeless();
    const int s = r.reply.status;
    return s == 408 || s == 429 || s >= 500;
}

std::string seconds_text(milliseconds d) {
    const auto tenths = (d.count() + 50) / 100;
    return std::to_string(tenths / 10) +
           (tenths % 10 != 0 ? "." + std::to_string(tenths % 10) : "") + " s";
}

net::awaitable<void> sleep_for(milliseconds d) {
    net::steady_timer t(co_await net::this_coro::executor, d);
    co_await t.async_wait(net::use_awaitable);
}

// One post, attempt after attempt until it is delivered, refused for good, or out of
// attempts or time (the caller's race ends it at `deadline` in any case).
net::awaitable<void> post(transport& network, const outgoing_post& p,
                          const delivery_settings& settings, steady::time_point deadline,
                          delivery_result& result) {
    const auto url = parse_webhook_url(p.url, "--notify");
    const auto where = route_through_proxy(parse_endpoint(url.origin, "--notify"), settings.proxy);
    http_call call;
    call.method = "POST";
    call.target = url.target;
    call.content_type = p.content_type;
    call.body = p.body;
    for (int attempt = 1; attempt <= delivery_attempts; ++attempt) {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady::now());
        if (left <= milliseconds(0))
            co_return;
        session_timeouts limits;
        limits.resolve = std::min(left, milliseconds(5'000));
        limits.connect = std::min(left, milliseconds(5'000));
        limits.exchange = left;
        auto connection = network.connect(where, limits);
        const auto r = co_await connection->call(call);
        co_await connection->close();
        if (r.ok() && r.reply.status >= 200 && r.reply.status < 300) {
            result = {true, {}};
            co_return;
        }
        result.problem = r.ok() ? "HTTP " + std::to_string(r.reply.status) : r.error();
        if (!worth_retrying(r))
            co_return;
        const auto pause = milliseconds(500) * attempt;
        if (attempt < delivery_attempts && steady::now() + pause < deadline)
            co_await sleep_for(pause);
    }
}

net::awaitable<void> all_posts(transport& network, const std::vector<outgoing_post>& posts,
                               const delivery_settings& settings, steady::time_point deadline,
                               std::vector<delivery_result>& results) {
    co_await run_workers(co_await net::this_coro::executor, static_cast<int>(posts.size()),
                         [&](int i) {
                             const auto n = static_cast<std::size_t>(i);
                             return post(network, posts[n], settings, deadline, results[n]);
                         });
}

} // namespace

std::vector<delivery_result> deliver(const std::vector<outgoing_post>& posts,
                                     const delivery_settings& settings) {
    std::vector<delivery_result> results(posts.size());
    if (posts.empty())
        return results;
    const auto deadline = steady::now() + settings.bound;
    for (auto& r : results)
        r.problem = "no answer within " + seconds_text(settings.bound);
    try {
        net::io_context io;
        network_transport network(io.get_executor(), make_tls_context(settings.ca_file));
        net::co_spawn(
            io,
            [&]() -> net::awaitable<void> {
                std::vector<net::awaitable<void>> racing;
                racing.push_back(all_posts(network, posts, settings, deadline, results));
                racing.push_back(sleep_for(settings.bound));
                co_await first_to_end(std::move(racing));
            },
            net::detached);
        io.run();
    } catch (const std::exception& e) {
        for (auto& r : results)
            if (!r.delivered)
                r.problem = e.what();
    }
    return results;
}

} // namespace zprov
