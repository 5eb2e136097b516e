#include "zprov/run/steps/activations.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/endpoint.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/steps/user_lookup.hpp"
#include "zprov/sheet/validation.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>
#include <utility>
#include <vector>

namespace zprov {

namespace {
// Bounds the pages read when the list does not count its entries: 1,000 pages of 300 are more
// pending users than an account zprov expects holds, and a server that keeps answering a next
// page must not hold the run.
constexpr std::int64_t max_pages = 1000;
// Beyond the pages the list's first count needs: users invited while the list is read.
constexpr std::int64_t spare_pages = 1;

std::string text_member(const nlohmann::json& doc, const char* key) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}
} // namespace

std::optional<users_page> read_users_page(std::string_view body, pending_users& into) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    // An error's shape answered 200 ({"code": ..., "message": ...}), or a list without its
    // users: nothing can be concluded from it.
    auto list = doc.find("users");
    if (list == doc.end() || !list->is_array())
        return std::nullopt;
    users_page page;
    if (auto token = doc.find("next_page_token"); token != doc.end()) {
        if (!token->is_string())
            return std::nullopt;
        page.next = token->get<std::string>();
    }
    if (auto total = doc.find("total_records"); total != doc.end()) {
        if (!total->is_number_integer() || total->get<std::int64_t>() < 0)
            return std::nullopt;
        page.total_records = total->get<std::int64_t>();
    }
    std::vector<std::pair<std::string, std::string>> found;
    for (const auto& u : *list) {
        if (!u.is_object())
            return std::nullopt;
        const auto email = text_member(u, "email");
        if (email.empty())
            return std::nullopt;
        found.emplace_back(email_key(email), text_member(u, "id"));
    }
    for (auto& [key, id] : found)
        into.emails.insert_or_assign(std::move(key), std::move(id));
    return page;
}

bool any_pending(const journal_summary& journal) {
    for (const auto& [key, row] : journal.rows)
        if (row.zoom == zoom_state::pending)
            return true;
    return false;
}

std::vector<unlisted_user> unlisted_users(const journal_summary& journal,
                                          const pending_users& pending) {
    std::vector<unlisted_user> out;
    for (const auto& [key, row] : journal.rows) {
        if (row.zoom != zoom_state::pending || row.open_intent ||
            journal.deletes_in_doubt.contains(key) || pending.holds(key))
            continue;
        // The id this journal's create recorded; else the one a step learnt.
        const auto own = journal.pending_id(row);
        const auto steps = journal.steps.find(key);
        out.push_back({key, !own.empty()                   ? std::string(own)
                            : steps == journal.steps.end() ? std::string()
                                                           : steps->second.user_id});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return out;
}

asked_state read_asked(int status, std::string_view body, const std::string& email) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return asked_state::unknown;
    const auto code = doc.value("code", 0);
    if (status == 400 && code == zoom_code::invitation_expired)
        return asked_state::expired;
    if (status == 404 && code == zoom_code::user_not_found)
        return asked_state::gone;
    if (status != 200 || email_key(text_member(doc, "email")) != email)
        return asked_state::unknown; // not about this row's user: settles nothing
    const auto state = text_member(doc, "status");
    if (state == "pending")
        return asked_state::pending;
    if (state == "active" || state == "inactive") // accepted (inactive: deactivated since)
        return asked_state::active;
    return asked_state::unknown;
}

namespace {
// Every page of GET /users?status=pending; std::nullopt (with `problem` set, and `repeats`
// when every run would fail the same way) when the list cannot be read to its end.
net::awaitable<std::optional<pending_users>> list_pending(request_context& ctx, connection& session,
                                                          std::string& problem, bool& repeats) {
    pending_users pending;
    std::string next;
    std::unordered_set<std::string> tokens;
    std::int64_t bound = max_pages;
    const int page_size = zoom_api::max_page_size;
    for (std::int64_t page = 0; page < bound; ++page) {
        const auto target = page_target(
            zoom_api::create_users_path(ctx.account) + "?status=pending", page_size, next);
        const zoom_request list{
            .method = "GET", .path = target, .answer_limit = zoom_api::list_page_bytes(page_size)};
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
        if (page == 0 && got->total_records)
            bound =
                std::min(bound, (*got->total_records + page_size - 1) / page_size + spare_pages);
        if (got->next.empty())
            co_return pending;
        if (!tokens.insert(got->next).second) {
            problem = "it answered a page token it had answered before (page " +
                      std::to_string(page + 1) + ")";
            co_return std::nullopt;
        }
        next = std::move(got->next);
    }
    problem = "it kept answering further pages after " + std::to_string(bound) +
              " pages, more than its own count of users needs";
    co_return std::nullopt;
}

// Asks Zoom about each user the list no longer holds, and journals what it says.
net::awaitable<activations> ask_unlisted(request_context& ctx, connection& session,
                                         run_journal& journal,
                                         const std::vector<unlisted_user>& unlisted) {
    activations found;
    std::string first_problem;
    for (const auto& user : unlisted) {
        if (ctx.stop.stopping())
            break;
        const zoom_request get{.method = "GET",
                               .path = user_target(ctx, user.id.empty() ? user.key : user.id)};
        call_end r = co_await call_zoom(ctx, session, get); // named: g++ 12
        const auto state = r.answered() ? read_asked(r.last.result.reply.status,
                                                     r.last.result.reply.body, user.key)
                                        : asked_state::unknown;
        switch (state) {
        case asked_state::active: {
            const auto& steps = journal.summary().steps;
            const auto it = steps.find(user.key);
            found.profiles += it != steps.end() && it->second.profile == step_status::deferred;
            journal.seen(user.key, user.id, zoom_state::active);
            ++found.users;
            break;
        }
        case asked_state::expired:
            journal.seen(user.key, user.id, zoom_state::expired);
            ++found.expired;
            break;
        case asked_state::gone:
            journal.seen(user.key, user.id, zoom_state::gone);
            ++found.gone;
            break;
        case asked_state::pending:
            break; // left out of the list (a page that omitted it): still pending
        case asked_state::unknown:
            ++found.unsettled;
            if (first_problem.empty())
                first_problem = r.last.problem.empty() ? std::string("an answer that says nothing")
                                                       : r.last.problem;
            break;
        }
    }
    if (found.unsettled > 0)
        ctx.log.line("zprov: warning: " + std::to_string(found.unsettled) +
                     " users no longer listed as pending could not be asked about (" +
                     terminal_safe(first_problem) + "); the next run asks again");
    co_return found;
}

void say_found(request_context& ctx, const activations& found) {
    if (found.users > 0) {
        auto said =
            std::to_string(found.users) + " users accepted their invitation since the last run";
        if (found.profiles == found.users)
            said += ": their profiles are applied now";
        else if (found.profiles > 0)
            said.append("; the deferred profiles of ")
                .append(std::to_string(found.profiles))
                .append(" of them are applied now");
        ctx.log.line(said);
    }
    if (found.expired > 0)
        ctx.log.line(std::to_string(found.expired) +
                     " invitations expired unaccepted (Zoom answers 1120): those users are "
                     "`expired`; rerun with --reinvite to create them again, or resend the "
                     "invitations from Zoom's web portal");
    if (found.gone > 0)
        ctx.log.line(std::to_string(found.gone) +
                     " users created by this journal no longer exist in Zoom (deleted since)");
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
    auto session = network.connect(ctx.api);
    std::string problem;
    bool repeats = false;
    auto pending = co_await list_pending(ctx, *session, problem, repeats);
    if (!pending) {
        co_await session->close();
        ctx.log.line("zprov: warning: cannot list the account's pending users (GET "
                     "/users?status=pending): " +
                     terminal_safe(problem) + "; nobody is taken to have accepted" +
                     (repeats ? std::string() : ", the next run lists them again"));
        co_return std::nullopt;
    }
    const auto unlisted = unlisted_users(journal.summary(), *pending);
    const auto found = co_await ask_unlisted(ctx, *session, journal, unlisted);
    co_await session->close();
    co_await syncer.durable(journal.written());
    say_found(ctx, found);
    co_return pending;
}

} // namespace zprov
