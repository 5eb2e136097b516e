// An account's groups and memberships (zoom/users.openapi.json): GET /groups (paged), POST
// /groups/{groupId}/members (at most 30 a call, by id or email; membership is additive and
// "by default, the primary group is the first group that user is added to"), PATCH
// /groups/{groupId}/members/{memberId} (action move or set_primary; 404/4130 for an unknown
// group, 404/4131 for a user not in it), and group_id in PATCH /users/{userId}, documented
// as "the group that you would like to add a pending user to": for an active user it does
// what sim_options::active_group_id says (nothing by default).
#include "zoomsim/groups/group_directory.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/options.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
namespace zoom_api = zprov::zoom_api;

// The query's integer `name`, or `fallback` when absent or unreadable.
int query_number(const form_fields& fields, std::string_view name, int fallback) {
    auto text = find_field(fields, name);
    int n = 0;
    if (!text || std::from_chars(text->data(), text->data() + text->size(), n).ec != std::errc{})
        return fallback;
    return n;
}

bool member_of(const user& u, std::string_view group_id) {
    return std::find(u.group_ids.begin(), u.group_ids.end(), group_id) != u.group_ids.end();
}
} // namespace

std::vector<group> make_groups(const std::vector<std::string>& names, std::mt19937_64& random) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::vector<group> made;
    for (const auto& name : names) {
        std::string id;
        for (int i = 0; i < 22; ++i)
            id += alphabet[random() % alphabet.size()];
        made.push_back({std::move(id), name});
    }
    return made;
}

const group* group_directory::find(std::string_view id) const {
    auto found =
        std::find_if(groups_.begin(), groups_.end(), [&](const group& g) { return g.id == id; });
    return found == groups_.end() ? nullptr : &*found;
}

std::string group_directory::name_of(std::string_view id) const {
    const auto* g = find(id);
    return g ? g->name : std::string();
}

void group_directory::join(user& u, const std::string& group_id) {
    if (!member_of(u, group_id))
        u.group_ids.push_back(group_id);
}

void group_directory::set_group_by_patch(user& u, const std::string& group_id) {
    auto rule = shared_.options.active_group_id;
    if (u.pending)
        rule = active_group_rule::add; // what is documented: join()
    switch (rule) {
    case active_group_rule::ignore:
        ++shared_.stats.group_id_ignored;
        return;
    case active_group_rule::replace:
        u.group_ids = {group_id};
        break;
    case active_group_rule::add:
        join(u, group_id);
        break;
    }
    ++shared_.stats.groups_set;
}

// Pages by position: the token is the index of the page's first group.
sim_reply group_directory::list_groups(std::string_view query, const user_directory& users) {
    ++shared_.stats.group_lists;
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    const int size = std::clamp(query_number(fields, "page_size", zoom_api::default_page_size), 1,
                                zoom_api::list_groups_max_page_size);
    const int count = static_cast<int>(groups_.size());
    const int first = std::clamp(query_number(fields, "next_page_token", 0), 0, count);
    const int end = std::min(first + size, count);
    ordered_json list = ordered_json::array();
    for (int i = first; i < end; ++i) {
        const auto& g = groups_[static_cast<std::size_t>(i)];
        const auto members =
            std::count_if(users.all().begin(), users.all().end(),
                          [&](const auto& entry) { return member_of(entry.second, g.id); });
        list.push_back({{"id", g.id}, {"name", g.name}, {"total_members", members}});
    }
    return json_reply(200, ordered_json{
                               {"total_records", count},
                               {"groups", std::move(list)},
                               {"next_page_token", end < count ? std::to_string(end) : ""},
                           });
}

// {"members": [{"id": ...} or {"email": ...}, ...]}. A member that is no user of the account
// (or whose invitation expired) is skipped: the answer's `ids` names those added, and a
// client that does not read it is not told.
sim_reply group_directory::add_members(std::string_view group_id, std::string_view body,
                                       user_directory& users) {
    if (!find(group_id))
        return error_reply(group_does_not_exist(group_id));
    auto doc = ordered_json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return error_reply(malformed_body("the body is not a JSON object"));
    auto members = doc.find("members");
    if (members == doc.end() || !members->is_array() || members->empty())
        return error_reply(invalid_member("members", "must be a non-empty array"));
    if (members->size() > zoom_api::max_members_per_call)
        return error_reply(
            invalid_member("members", "at most " + std::to_string(zoom_api::max_members_per_call) +
                                          " members a call"));
    std::vector<user*> adding;
    for (const auto& m : *members) {
        const auto* key = m.is_object() && m.contains("id") ? &m["id"] : nullptr;
        if (!key && m.is_object() && m.contains("email"))
            key = &m["email"];
        if (!key || !key->is_string())
            return error_reply(invalid_member("members", "each member needs an id or an email"));
        auto* u = users.find(key->get<std::string>());
        if (u && !users.expired(*u) && std::find(adding.begin(), adding.end(), u) == adding.end())
            adding.push_back(u);
    }
    std::string ids;
    const std::string target(group_id);
    for (auto* u : adding) {
        join(*u, target);
        ids += (ids.empty() ? "" : ",") + u->id;
    }
    ++shared_.stats.member_calls;
    shared_.stats.members_added += static_cast<std::int64_t>(adding.size());
    return json_reply(201, ordered_json{{"ids", ids}, {"added_at", iso_time(shared_.time.now())}});
}

// {"action": "move", "target_group_id": G} moves the member from this group to G (G takes
// this group's place, primary included); {"action": "set_primary"} makes this group the
// member's primary group.
sim_reply group_directory::update_member(std::string_view group_id, std::string_view member_id,
                                         std::string_view body, user_directory& users) {
    if (!find(group_id))
        return error_reply(group_does_not_exist(group_id));
    auto* u = users.find(member_id);
    if (!u || users.expired(*u) || !member_of(*u, group_id))
        return error_reply(member_does_not_exist());
    auto doc = ordered_json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return error_reply(malformed_body("the body is not a JSON object"));
    const auto action = doc.value("action", ordered_json()).is_string()
                            ? doc["action"].get<std::string>()
                            : std::string();
    auto here = std::find(u->group_ids.begin(), u->group_ids.end(), group_id);
    if (action == "set_primary") {
        std::rotate(u->group_ids.begin(), here, here + 1);
        ++shared_.stats.primary_sets;
        return no_content();
    }
    if (action != "move")
        return error_reply(invalid_member("action", "must be move or set_primary"));
    const auto target_it = doc.find("target_group_id");
    const auto target = target_it != doc.end() && target_it->is_string()
                            ? target_it->get<std::string>()
                            : std::string();
    if (target.empty())
        return error_reply(target_group_missing());
    if (!find(target))
        return error_reply(group_does_not_exist(target));
    if (member_of(*u, target))
        u->group_ids.erase(here);
    else
        *here = target;
    ++shared_.stats.member_moves;
    return no_content();
}

} // namespace zoomsim
