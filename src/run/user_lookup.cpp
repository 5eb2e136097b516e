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
using found = user_lookup::found;

std::string text_member(const nlohmann::json& doc, const char* key) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}
} // namespace

std::string account_path_segment(const send_context& ctx) {
    return ctx.options.config.account_id.value_or("");
}

std::string create_target(const send_context& ctx) {
    return zoom_api::create_users_path(account_path_segment(ctx));
}

std::string user_target(const send_context& ctx, std::string_view user) {
    return ctx.api.target(zoom_api::user_path(account_path_segment(ctx), user));
}

std::optional<user_lookup> read_lookup(int status, std::string_view body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    auto code = doc.value("code", 0);
    user_lookup r;
    // The id goes into the paths of later calls: it must be a path segment.
    if (status == 200 && zoom_api::path_segment(text_member(doc, "id"))) {
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
    const auto target = user_target(ctx, email);
    auto caller = caller_for(ctx, session, ctx.lookup_pacer);
    http_call get{"GET", target, "", "", ""}; // named: see call_api's note on g++ 12
    api_result answered = co_await call_api(caller, std::move(get));
    if (answered.what != api_result::kind::failed) {
        if (auto settled = read_lookup(answered.reply.status, answered.reply.body))
            co_return *settled;
    }
    user_lookup r;
    r.problem = answered.problem;
    if (answered.what == api_result::kind::refused && answered.said == verdict::account_refused)
        r.where = found::refused;
    co_return r;
}

} // namespace zprov
