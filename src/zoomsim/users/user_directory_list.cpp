// GET /users (List users, rate-limit category Medium), as Zoom documents it: `status` active
// (the default), inactive or pending; `page_size` (default 30, at most 2000);
// `next_page_token` from the previous page. The answer: page_size, total_records,
// next_page_token ("" on the last page) and users[] with email, names, type, status,
// user_created_at, created_at, dept and group_ids, and id except for pending users ("The API
// does not return this value for users with the pending status"). A pending user's
// created_at is the time of the call, as in GET /users/{userId}. An expired invitation is
// listed under no status. Pages are ordered by creation, then id; a token names the first
// user of the next page, so users leaving the list between pages (accepting their
// invitation) skip nobody.
#include "zoomsim/users/user_directory.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <tuple>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;

namespace zoom_api = zprov::zoom_api;

// The page size asked for, clamped to Zoom's range; std::nullopt when it is not a number.
std::optional<int> page_size_of(const form_fields& fields) {
    auto text = find_field(fields, "page_size");
    if (!text || text->empty())
        return zoom_api::default_page_size;
    int n = 0;
    if (std::from_chars(text->data(), text->data() + text->size(), n).ec != std::errc{})
        return std::nullopt;
    return std::clamp(n, 1, zoom_api::list_users_max_page_size);
}

// A user's place in the listing order, and the token that names it: "<seconds>.<id>".
using place = std::tuple<std::int64_t, std::string>;
std::string token_of(const place& p) {
    return std::to_string(std::get<0>(p)) + "." + std::get<1>(p);
}
std::optional<place> place_of_token(const std::string& token) {
    auto dot = token.find('.');
    std::int64_t seconds = 0;
    if (dot == std::string::npos ||
        std::from_chars(token.data(), token.data() + dot, seconds).ec != std::errc{})
        return std::nullopt;
    return place{seconds, token.substr(dot + 1)};
}
// One user as the list shows it; `now`: the time of the call.
ordered_json listed_user(const user& u, utc_time now) {
    ordered_json entry;
    if (!u.pending)
        entry["id"] = u.id;
    entry["first_name"] = u.first_name;
    entry["last_name"] = u.last_name;
    entry["display_name"] = u.display_name;
    entry["email"] = u.email;
    entry["type"] = u.type;
    entry["status"] = u.pending ? "pending" : "active";
    entry["created_at"] = iso_time(u.pending ? now : u.created_at);
    entry["user_created_at"] = iso_time(u.created_at);
    if (auto dept = u.profile.find("dept"); dept != u.profile.end())
        entry["dept"] = dept->second;
    entry["group_ids"] = u.group_ids;
    return entry;
}
} // namespace

sim_reply user_directory::list_users(std::string_view query) {
    ++shared_.stats.user_lists;
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    const auto status = find_field(fields, "status").value_or("active");
    if (status != "active" && status != "inactive" && status != "pending")
        return error_reply(invalid_field("status", "must be active, inactive or pending"));
    const auto size = page_size_of(fields);
    if (!size)
        return error_reply(invalid_field("page_size", "must be a number"));
    std::optional<place> from;
    if (auto token = find_field(fields, "next_page_token"); token && !token->empty()) {
        from = place_of_token(*token);
        if (!from)
            return error_reply(invalid_field("next_page_token", "invalid or expired token"));
    }
    // zoomsim has no deactivated users: "inactive" lists none.
    std::vector<std::pair<place, const user*>> listed;
    for (const auto& [key, u] : users_)
        if (status != "inactive" && u.pending == (status == "pending") && !expired(u))
            listed.push_back({place{std::chrono::floor<std::chrono::seconds>(u.created_at)
                                        .time_since_epoch()
                                        .count(),
                                    u.id},
                              &u});
    std::sort(listed.begin(), listed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    auto first = listed.begin();
    if (from)
        first = std::lower_bound(listed.begin(), listed.end(), *from,
                                 [](const auto& entry, const place& p) { return entry.first < p; });
    const auto end = listed.end() - first > *size ? first + *size : listed.end();
    ordered_json page = ordered_json::array();
    const auto now = shared_.time.now();
    for (auto it = first; it != end; ++it)
        page.push_back(listed_user(*it->second, now));
    const bool last = end == listed.end();
    const auto next = last ? std::string() : token_of(end->first);
    if (status == "pending")
        fire("list", {}); // after the page is made: it showed them pending
    return json_reply(200, ordered_json{{"page_size", *size},
                                        {"total_records", listed.size()},
                                        {"next_page_token", next},
                                        {"users", std::move(page)}});
}

} // namespace zoomsim
