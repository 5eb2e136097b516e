#include "zoomsim/tokens/authorization.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/options.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
namespace zoom_api = zprov::zoom_api;

sim_reply oauth_error(int status, std::string_view error, std::string_view reason) {
    return json_reply(status, ordered_json{{"reason", reason}, {"error", error}});
}
} // namespace

authorization::authorization(const sim_options& options)
    : options_(options),
      scopes_(options.scopes.empty() ? std::string(default_scopes) : options.scopes),
      tokens_(options.access_token, options.token_ttl, options.seed ^ 0x70c3e75ULL,
              options.single_live_token) {}

sim_reply authorization::oauth(const sim_request& request, std::string_view query,
                               steady_time now) {
    if (request.method != "POST")
        return oauth_error(405, "invalid_request", "Only POST is supported");
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    if (find_field(fields, "grant_type") || find_field(fields, "account_id"))
        ++counts_.oauth_query_fields;
    if (media_type(request.content_type) == "application/x-www-form-urlencoded")
        if (auto body = parse_urlencoded(request.body))
            fields.insert(fields.end(), body->begin(), body->end());

    auto client = basic_auth(request.authorization);
    if (options_.client_id.empty() || !client || client->user != options_.client_id ||
        client->password != options_.client_secret)
        return oauth_error(401, "invalid_client", "Invalid client_id or client_secret");
    auto grant_type = find_field(fields, "grant_type");
    if (!grant_type)
        return oauth_error(400, "invalid_request", "Missing grant_type");
    if (*grant_type != zoom_api::oauth_grant_type)
        return oauth_error(400, "invalid_request", "Unsupported grant_type: " + *grant_type);
    auto account_id = find_field(fields, "account_id");
    if (!account_id)
        return oauth_error(400, "invalid_request", "Missing account_id");
    if (*account_id != options_.account_id)
        return oauth_error(400, "invalid_request", "Invalid account_id: " + *account_id);

    ++counts_.token_grants;
    return json_reply(200, ordered_json{{"access_token", tokens_.grant(now)},
                                        {"token_type", "bearer"},
                                        {"expires_in", tokens_.ttl().count()},
                                        {"scope", scopes_}});
}

std::optional<sim_reply> authorization::token_refusal(std::string_view header, steady_time now) {
    auto token = bearer_token(header);
    if (token && tokens_.accepts(*token, now))
        return std::nullopt;
    ++counts_.auth_failures;
    return error_reply(invalid_access_token());
}

std::optional<sim_reply> authorization::scope_refusal(const zoom_api::call_match& call) {
    if (zoom_api::scopes_allow(scopes_, *call.call, call.sub_account))
        return std::nullopt;
    ++counts_.scope_refused;
    const auto& scopes = call.sub_account ? call.call->master : call.call->own;
    std::vector<std::string_view> named(scopes.classic.begin(), scopes.classic.end());
    named.insert(named.end(), scopes.granular.begin(), scopes.granular.end());
    return error_reply(scope_missing(named));
}

} // namespace zoomsim
