#include "zprov/run/steps/user_lookup.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/token.hpp"
#include "zprov/net/transport.hpp"
#include "zprov/run/api_call.hpp"
#include "zprov/run/row_waits.hpp"
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

std::string create_target(const request_context& ctx) {
    return zoom_api::create_users_path(ctx.account);
}

std::string user_target(const request_context& ctx, std::string_view user) {
    return zoom_api::user_path(ctx.account, user);
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
        r.user_created_at = parse_iso8601(text_member(doc, "user_created_at"));
        return r;
    }
    if (status == 404 && code == zoom_code::user_not_found) {
        r.where = found::elsewhere;
        return r;
    }
    if (status == 400 && code == zoom_code::invitation_expired) { // pending in this account
        r.where = found::here;
        r.status = "pending (invitation expired)";
        r.expired = true;
        return r;
    }
    return std::nullopt;
}

net::awaitable<user_lookup> look_up(request_context& ctx, connection& session,
                                    const std::string& email) {
    const zoom_request get{.method = "GET", .path = user_target(ctx, email)};
    call_end answered = co_await call_zoom(ctx, session, get); // named: g++ 12, see api_call
    const auto& reply = answered.last.result.reply;
    if (answered.answered()) {
        if (auto settled = read_lookup(reply.status, reply.body))
            co_return *settled;
    }
    user_lookup r;
    r.problem = answered.last.problem;
    if (answered.answered() && answered.last.what == verdict::account_refused)
        r.where = found::refused;
    co_return r;
}

} // namespace zprov
