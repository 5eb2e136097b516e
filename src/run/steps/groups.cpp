#include "zprov/run/steps/groups.hpp"

#include "zprov/base/exit_codes.hpp"
#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/endpoint.hpp"
#include "zprov/net/session.hpp"
#include "zprov/net/token.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>

namespace zprov {

namespace {
// Bounds the pages read: an account with more groups than this is not what zprov expects,
// and a server that keeps answering a next page must not hold the run.
constexpr int max_pages = 1000;
} // namespace

net::awaitable<group_directory> read_groups(request_context& ctx, connection& session) {
    group_directory groups;
    std::string next;
    for (int page = 0; page < max_pages; ++page) {
        const auto target =
            page_target(zoom_api::list_groups_path(ctx.account), zoom_api::max_page_size, next);
        const zoom_request list{.method = "GET",
                                .path = target,
                                .answer_limit = zoom_api::list_page_bytes(zoom_api::max_page_size)};
        // Named, not a temporary within the co_await's expression: GCC 12 mishandles those.
        call_end r = co_await call_zoom(ctx, session, list);
        const auto& problem = r.last.problem;
        if (r.answered() && r.last.what == verdict::account_refused)
            throw fatal_error(exit_code::no_permission,
                              "Zoom refused to list the account's groups (" + problem +
                                  "): the sheet has a User Group column; add group:read:admin "
                                  "(classic scopes) or its granular form to the app");
        if (!r.done())
            throw fatal_error(r.repeats() ? exit_code::software : exit_code::unavailable,
                              "cannot read the account's groups (GET /groups): " +
                                  (problem.empty() ? std::string("no answer") : problem));
        auto got = read_groups_page(r.last.result.reply.body);
        if (!got)
            throw fatal_error(exit_code::unavailable,
                              "Zoom's answer to GET /groups is not a list of groups");
        for (auto& g : got->groups)
            groups.add(std::move(g));
        if (got->next_page_token.empty())
            co_return groups;
        next = std::move(got->next_page_token);
    }
    throw fatal_error(exit_code::unavailable, "GET /groups kept answering further pages after " +
                                                  std::to_string(max_pages) + " pages");
}

net::awaitable<std::optional<group_directory>>
groups_for(const user_sheet& sheet, request_context& ctx, transport& network) {
    if (!sheet.layout()[static_cast<std::size_t>(field::group)])
        co_return std::nullopt;
    auto session = network.connect(ctx.api);
    auto groups = co_await read_groups(ctx, *session);
    co_await session->close();
    co_return groups;
}

} // namespace zprov
