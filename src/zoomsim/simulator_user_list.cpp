// GET /users (List users, rate-limit category Medium), as Zoom documents it: `status` active
// (the default), inactive or pending; `page_size` (default 30, at most 300); `next_page_token`
// from the previous page. The answer: page_size, total_records, next_page_token ("" on the
// last page) and users[] with id, email, names, type, status, created_at, dept and group_ids.
// Pages are ordered by created_at, then id; a token names the first user of the next page,
// so users leaving the list between pages (accepting their invitation) skip nobody.
#include "zoomsim/simulator.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/sim_replies.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <tuple>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;

constexpr int default_page_size = 30;
constexpr int max_page_size = 300;

// The page size asked for, clamped to Zoom's range; std::nullopt when it is not a number.
std::optional<int> page_size_of(const form_fields& fields) {
    auto text = find_field(fields, "page_size");
    if (!text || text->empty())
        return default_page_size;
    int n = 0;
    if (std::from_chars(text->data(), text->data() + text->size(), n).ec != std::errc{})
        return std::nullopt;
    return std::clamp(n, 1, max_page_size);
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
// One user as the list shows it (a template: the simulator's user type is its own).
template <class User>
ordered_json listed_user(const User& u) {
    ordered_json entry{{"id", u.id},
                       {"first_name", u.first_name},
                       {"last_name", u.last_name},
                       {"display_name", u.display_name},
                       {"email", u.email},
                       {"type", u.type},
                       {"status", u.pending ? "pending" : "active"},
                       {"created_at", iso_time(u.created_at)},
                       {"user_created_at", iso_time(u.created_at)}};
    if (auto dept = u.profile.find("dept"); dept != u.profile.end())
        entry["dept"] = dept->second;
    entry["group_ids"] =
        u.group_id.empty() ? ordered_json::array() : ordered_json::array({u.group_id});
    return entry;
}
} // namespace

sim_reply simulator::list_users(std::string_view target, const user_table& users) {
    ++user_lists_;
    const auto question = target.find('?');
    const auto query =
        question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
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
    for (const auto& [key, u] : users)
        if (status != "inactive" && u.pending == (status == "pending"))
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
    for (auto it = first; it != end; ++it)
        page.push_back(listed_user(*it->second));
    return json_reply(
        200, ordered_json{{"page_size", *size},
                          {"total_records", listed.size()},
                          {"next_page_token", end == listed.end() ? "" : token_of(end->first)},
                          {"users", std::move(page)}});
}

} // namespace zoomsim
