#include "zprov/run/user_lookup.hpp"

#include "zprov/http_session.hpp"
#include "zprov/net.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/text.hpp"
#include "zprov/token_holder.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

#include <nlohmann/json.hpp>

namespace zprov {

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using found = user_lookup::found;

std::string text_member(const nlohmann::json& doc, const char* key) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What the lookup's tries so far allow next.
struct lookup_tries {
    int failures = 0, refreshes = 0, rate_limited = 0;
};

// One GET; the call's result (not ok: the transport's error) and the token it used.
net::awaitable<std::pair<call_result, std::string>>
get_once(send_context& ctx, http_session& session, const std::string& target) {
    auto opened = co_await session.open();
    if (!opened.ok())
        co_return std::pair{opened, std::string()};
    auto turn = co_await take_turn(ctx, ctx.lookup_pacer);
    std::optional<std::string> token;
    if (turn)
        token = co_await token_unless_abandoned(ctx);
    if (!token) {
        call_result none;
        none.failure.emplace();
        none.failure->stage = net_stage::write;
        none.failure->code = net_errc::not_sent;
        none.failure->peer = session.where().host_header;
        co_return std::pair{none, std::string()};
    }
    http_call call{"GET", target, "", "", "Bearer " + *token};
    if (ctx.options.trace)
        ctx.progress.log(describe_request(ctx.api, call));
    auto result = co_await session.call(call);
    if (result.sent)
        turn.sent(result.sent_at);
    co_return std::pair{std::move(result), std::move(*token)};
}
} // namespace

std::string account_path_segment(const send_context& ctx) {
    return percent_encode(ctx.options.config.account_id.value_or(""));
}

std::string create_target(const send_context& ctx) {
    return zoom_api::create_users_path(account_path_segment(ctx));
}

std::optional<user_lookup> read_lookup(int status, std::string_view body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    auto code = doc.value("code", 0);
    user_lookup r;
    if (status == 200 && !text_member(doc, "id").empty()) {
        r.where = found::here;
        r.id = text_member(doc, "id");
        r.status = text_member(doc, "status");
        r.created_at = parse_iso8601(text_member(doc, "created_at"));
        return r;
    }
    if (status == 404 && code == zoom_code::user_not_found) {
        r.where = found::elsewhere;
        return r;
    }
    if (status == 400 && code == zoom_code::invitation_expired) { // pending in this account
        r.where = found::here;
        r.status = "pending (invitation expired)";
        return r;
    }
    return std::nullopt;
}

net::awaitable<user_lookup> look_up(send_context& ctx, http_session& session,
                                    const std::string& email) {
    const auto target =
        ctx.api.target(zoom_api::user_path(account_path_segment(ctx), percent_encode(email)));
    lookup_tries tries;
    user_lookup r;
    while (!ctx.stop.abandons_waiting()) {
        auto got = co_await get_once(ctx, session, target);
        const auto& call = got.first;
        const auto& token = got.second;
        if (call.ok()) {
            if (ctx.options.trace)
                ctx.progress.log(describe_reply(call.reply) + terminal_safe(call.reply.body));
            if (auto settled = read_lookup(call.reply.status, call.reply.body))
                co_return *settled;
            auto answer = read_answer(call.reply.status, call.reply.body,
                                      call.reply.header(zoom_api::rate_limit_type_header),
                                      call.reply.header(zoom_api::retry_after_header));
            r.problem = "HTTP " + std::to_string(answer.status) +
                        (answer.message.empty() ? "" : ": " + answer.message);
            const auto what = classify(answer);
            if (what == verdict::account_refused) {
                r.where = found::refused;
                co_return r;
            }
            if (what == verdict::refresh_token && tries.refreshes++ < ctx.retry.refreshes_per_row) {
                co_await ctx.tokens.refresh(token);
                continue;
            }
            if (what == verdict::rate_limited || what == verdict::daily_limit) {
                ctx.lookup_pacer.slow_down(steady::now(), call.sent_at);
                if (++tries.rate_limited >= ctx.retry.rate_limited_per_row)
                    co_return r;
            } else if (what != verdict::retry || ++tries.failures >= ctx.retry.max_attempts) {
                co_return r;
            }
        } else {
            r.problem = call.failure->code == net_errc::not_sent ? "not sent: " + ctx.stop.message()
                                                                 : call.error();
            if (!call.sent && ctx.stop.stopping())
                co_return r;
            if (++tries.failures >= ctx.retry.max_attempts)
                co_return r;
        }
        co_await sleep_unless_stopped(ctx, backoff_delay(tries.failures + tries.rate_limited,
                                                         backoff_base, backoff_cap, ctx.rng));
    }
    co_return r;
}

} // namespace zprov
