#include "zprov/run/activations.hpp"

#include "zprov/endpoint.hpp"
#include "zprov/net.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/text.hpp"
#include "zprov/validation.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <utility>
#include <vector>

namespace zprov {

namespace {
// Bounds the pages read: 3,000,000 pending users is beyond any account zprov expects, and a
// server that keeps answering a next page must not hold the run.
constexpr int max_pages = 10000;
} // namespace

bool pending_users::holds(const std::string& key, const std::string& user_id) const {
    // Zoom's pending list carries no ids: matched by email (an id, when a list gives one,
    // is never what a re-invite deletes).
    return emails.contains(key) || (!user_id.empty() && ids.contains(user_id));
}

std::optional<std::string> read_users_page(std::string_view body, pending_users& into) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    std::string next;
    if (auto token = doc.find("next_page_token"); token != doc.end() && token->is_string())
        next = token->get<std::string>();
    auto list = doc.find("users");
    if (list == doc.end())
        return next; // an empty list may be left out
    if (!list->is_array())
        return std::nullopt;
    for (const auto& u : *list) {
        if (!u.is_object())
            return std::nullopt;
        std::string user_id;
        if (auto id = u.find("id"); id != u.end() && id->is_string())
            user_id = id->get<std::string>();
        if (!user_id.empty())
            into.ids.insert(user_id);
        if (auto email = u.find("email"); email != u.end() && email->is_string())
            into.emails.insert_or_assign(email_key(email->get<std::string>()), user_id);
    }
    return next;
}

bool any_pending(const journal_summary& journal) {
    for (const auto& [key, row] : journal.rows)
        if (row.zoom == zoom_state::pending)
            return true;
    return false;
}

activations note_activations(run_journal& journal, const pending_users& pending) {
    const auto& summary = journal.summary();
    std::vector<std::pair<std::string, std::string>> active; // key, id: the journal changes
    activations found;
    for (const auto& [key, row] : summary.rows) {
        if (row.zoom != zoom_state::pending || summary.deletes_in_doubt.contains(key))
            continue;
        const auto steps = summary.steps.find(key);
        const std::string no_id;
        const auto& id = steps == summary.steps.end() ? no_id : steps->second.user_id;
        if (pending.holds(key, id))
            continue;
        active.emplace_back(key, id);
        found.profiles +=
            steps != summary.steps.end() && steps->second.profile == step_status::deferred;
    }
    for (const auto& [key, id] : active)
        journal.seen(key, id, zoom_state::active);
    found.users = active.size();
    return found;
}

namespace {
net::awaitable<std::optional<pending_users>> list_pending(request_context& ctx, connection& session,
                                                          std::string& problem, bool& repeats) {
    pending_users pending;
    std::string next;
    for (int page = 0; page < max_pages; ++page) {
        const auto target =
            page_target(zoom_api::create_users_path(ctx.account) + "?status=pending",
                        zoom_api::max_page_size, next);
        const zoom_request list{.method = "GET",
                                .path = target,
                                .answer_limit = zoom_api::list_page_bytes(zoom_api::max_page_size)};
        // Named, not a temporary within the co_await's expression: GCC 12 mishandles those.
        call_end r = co_await call_zoom(ctx, session, list);
        if (!r.done()) {
            problem = r.last.problem.empty() ? std::string("no answer") : r.last.problem;
            repeats = r.repeats();
            co_return std::nullopt;
        }
        auto got = read_users_page(r.last.result.reply.body, pending);
        if (!got) {
            problem = "the answer is not a list of users";
            co_return std::nullopt;
        }
        if (got->empty())
            co_return pending;
        next = std::move(*got);
    }
    problem = "it kept answering further pages after " + std::to_string(max_pages) + " pages";
    co_return std::nullopt;
}
} // namespace

net::awaitable<std::optional<pending_users>>
read_pending_list(request_context& ctx, transport& network, std::string& problem, bool& repeats) {
    auto session = network.connect(ctx.api);
    auto pending = co_await list_pending(ctx, *session, problem, repeats);
    co_await session->close();
    co_return pending;
}

net::awaitable<std::optional<pending_users>> check_activations(request_context& ctx,
                                                               transport& network,
                                                               run_journal& journal,
                                                               journal_syncer& syncer) {
    if (!any_pending(journal.summary()))
        co_return std::nullopt;
    std::string problem;
    bool repeats = false;
    auto pending = co_await read_pending_list(ctx, network, problem, repeats);
    if (!pending) {
        ctx.log.line(
            "zprov: cannot list the account's pending users (GET /users?status=pending): " +
            terminal_safe(problem) +
            (repeats ? std::string() : "; the deferred profiles wait for the next run"));
        co_return std::nullopt;
    }
    const auto activated = note_activations(journal, *pending);
    co_await syncer.durable(journal.written());
    if (activated.users == 0)
        co_return pending;
    auto said =
        std::to_string(activated.users) + " users accepted their invitation since the last run";
    if (activated.profiles == activated.users)
        said += ": their profiles are applied now";
    else if (activated.profiles > 0)
        said.append("; the deferred profiles of ")
            .append(std::to_string(activated.profiles))
            .append(" of them are applied now");
    ctx.log.line(said);
    co_return pending;
}

} // namespace zprov
