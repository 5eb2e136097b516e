// Who may call: Server-to-Server OAuth at /oauth/token (client credentials in HTTP Basic,
// grant_type and account_id in the body), the bearer token every API call carries (401/124
// when it is not live, token_store.hpp), and the token's scopes against the call's (Zoom's
// facts, zprov/zoom/api.hpp, from the OpenAPI): a token holding none of them is refused
// 400/4711, naming them (zoom/FACTS.md, "Answers"). Times come from the caller. Not
// thread-safe: the simulator serialises calls. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/calendar.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zoomsim/tokens/token_store.hpp"
#include "zprov/zoom/api.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zoomsim {

struct sim_options;

class authorization {
public:
    struct counts {
        std::int64_t token_grants = 0;
        std::int64_t oauth_query_fields = 0; // token requests with fields in the query
        std::int64_t auth_failures = 0;
        std::int64_t scope_refused = 0;
    };

    explicit authorization(const sim_options& options);

    // POST /oauth/token, `query` the target's query; a token granted at `now`.
    sim_reply oauth(const sim_request& request, std::string_view query, steady_time now);
    // A 401/124 when `header` (Authorization) carries no token live at `now`.
    std::optional<sim_reply> token_refusal(std::string_view header, steady_time now);
    // A 400/4711 when the tokens' scopes allow none of `call`'s.
    std::optional<sim_reply> scope_refusal(const zprov::zoom_api::call_match& call);

    const counts& count() const { return counts_; }

private:
    const sim_options& options_;
    std::string scopes_; // what every token holds
    token_store tokens_;
    counts counts_;
};

} // namespace zoomsim
