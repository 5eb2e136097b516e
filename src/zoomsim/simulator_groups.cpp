// An account's groups and the updates after a create: GET /groups (paged), POST
// /groups/{id}/members (at most 30 a call, answered 201), PATCH /users/{id} (profile fields
// and group_id, answered 204), and the users dump tests read. As Zoom's documentation and
// its connectors report: a pending user takes a group, while profile changes sent to a
// pending user are answered with success and not applied. A user is in at most one group
// here: the last one given.
#include "zoomsim/simulator.hpp"

#include "zoomsim/ascii.hpp"
#include "zoomsim/form.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zprov/zoom/codes.hpp"
#include "zprov/zoom/user_info.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
namespace zoom_api = zprov::zoom_api;

// PATCH /users/{userId} profile fields zoomsim stores (zoom/FACTS.md, "Other calls").
constexpr std::array<std::string_view, 6> profile_members{"dept",    "job_title", "location",
                                                          "manager", "company",   "cost_center"};
constexpr int default_page_size = 30;
constexpr int max_page_size = 300;
// POST /groups/{groupId}/members takes at most this many members a call.
constexpr std::size_t max_members_per_call = 30;

api_error group_does_not_exist(std::string_view id) {
    return {404,
            zprov::zoom_code::group_not_found,
            "Group does not exist: " + std::string(id) + ".",
            {},
            {}};
}

api_error invalid_member(std::string_view member, std::string reason) {
    return {400, zprov::zoom_code::invalid_parameter, "Validation Failed.", std::move(reason),
            std::string(member)};
}

// The query's integer `name`, or `fallback` when absent or unreadable.
int query_number(const form_fields& fields, std::string_view name, int fallback) {
    auto text = find_field(fields, name);
    int n = 0;
    if (!text || std::from_chars(text->data(), text->data() + text->size(), n).ec != std::errc{})
        return fallback;
    return n;
}
template <typename Group>
const Group* find_group(const std::vector<Group>& groups, std::string_view id) {
    auto found =
        std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.id == id; });
    return found == groups.end() ? nullptr : &*found;
}
} // namespace

std::vector<simulator::group> simulator::make_groups() {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::vector<group> made;
    for (const auto& name : options_.groups) {
        std::string id;
        for (int i = 0; i < 22; ++i)
            id += alphabet[group_ids_() % alphabet.size()];
        made.push_back({std::move(id), name});
    }
    return made;
}

simulator::user* simulator::find_user(std::string_view which, user_table& users) {
    auto found = users.find(email_key(which));
    if (found == users.end()) {
        auto by_id = user_ids_.find(std::string(which));
        if (by_id != user_ids_.end())
            found = users.find(by_id->second);
        if (found != users.end() && found->second.id != which)
            found = users.end(); // that email's user in this account is another one
    }
    return found == users.end() ? nullptr : &found->second;
}

// Pages by position: the token is the index of the page's first group.
sim_reply simulator::list_groups(std::string_view query, const account_view& in) {
    const auto& groups = in.groups;
    ++profile_counts_.group_lists;
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    const int size =
        std::clamp(query_number(fields, "page_size", default_page_size), 1, max_page_size);
    const int first =
        std::clamp(query_number(fields, "next_page_token", 0), 0, static_cast<int>(groups.size()));
    const int end = std::min(first + size, static_cast<int>(groups.size()));
    ordered_json list = ordered_json::array();
    for (int i = first; i < end; ++i) {
        std::int64_t members = 0;
        for (const auto& [key, u] : in.users)
            members += u.group_id == groups[i].id ? 1 : 0;
        list.push_back(
            {{"id", groups[i].id}, {"name", groups[i].name}, {"total_members", members}});
    }
    return json_reply(200, ordered_json{
                               {"total_records", groups.size()},
                               {"groups", std::move(list)},
                               {"next_page_token",
                                end < static_cast<int>(groups.size()) ? std::to_string(end) : ""},
                           });
}

sim_reply simulator::update_user(std::string_view which, std::string_view body,
                                 const account_view& in) {
    auto* u = find_user(which, in.users);
    if (!u)
        return error_reply(user_does_not_exist(which));
    auto doc = ordered_json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return error_reply(malformed_body("the body is not a JSON object"));
    std::map<std::string, std::string> profile;
    for (auto member : profile_members) {
        auto it = doc.find(std::string(member));
        if (it == doc.end())
            continue;
        if (!it->is_string())
            return error_reply(invalid_member(member, "must be a string"));
        profile[std::string(member)] = it->get<std::string>();
    }
    std::string group_id;
    if (auto it = doc.find("group_id"); it != doc.end()) {
        if (!it->is_string())
            return error_reply(invalid_member("group_id", "must be a string"));
        group_id = it->get<std::string>();
        if (!find_group(in.groups, group_id))
            return error_reply(group_does_not_exist(group_id));
    }
    ++profile_counts_.patches;
    if (!group_id.empty()) {
        u->group_id = group_id;
        ++profile_counts_.groups_set;
    }
    if (!profile.empty()) {
        if (u->pending) {
            ++profile_counts_.profiles_to_pending; // answered with success, not applied
        } else {
            for (auto& [member, value] : profile)
                u->profile[member] = std::move(value);
            ++profile_counts_.profiles_applied;
        }
    }
    sim_reply reply;
    reply.status = 204;
    return reply;
}

// {"members": [{"id": ...} or {"email": ...}, ...]}: every member must be a user of the
// account, or nothing is added.
sim_reply simulator::add_members(std::string_view group_id, std::string_view body,
                                 const account_view& in) {
    if (!find_group(in.groups, group_id))
        return error_reply(group_does_not_exist(group_id));
    auto doc = ordered_json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return error_reply(malformed_body("the body is not a JSON object"));
    auto members = doc.find("members");
    if (members == doc.end() || !members->is_array() || members->empty())
        return error_reply(invalid_member("members", "must be a non-empty array"));
    if (members->size() > max_members_per_call)
        return error_reply(invalid_member(
            "members", "at most " + std::to_string(max_members_per_call) + " members a call"));
    std::vector<user*> adding;
    for (const auto& m : *members) {
        const auto* key = m.is_object() && m.contains("id") ? &m["id"] : nullptr;
        if (!key && m.is_object() && m.contains("email"))
            key = &m["email"];
        if (!key || !key->is_string())
            return error_reply(invalid_member("members", "each member needs an id or an email"));
        auto* u = find_user(key->get<std::string>(), in.users);
        if (!u)
            return error_reply(user_does_not_exist(key->get<std::string>()));
        adding.push_back(u);
    }
    std::string ids;
    for (auto* u : adding) {
        u->group_id = std::string(group_id);
        ids += (ids.empty() ? "" : ",") + u->id;
    }
    ++profile_counts_.member_calls;
    profile_counts_.members_added += static_cast<std::int64_t>(adding.size());
    return json_reply(201, ordered_json{{"ids", ids}, {"added_at", iso_time(clock_.utc())}});
}

// Called with the mutex held (from sim_endpoint).
std::string simulator::users_json() {
    auto listed = [](const user_table& users, const std::vector<group>& groups) {
        ordered_json list = ordered_json::array();
        for (const auto& [key, u] : users) {
            const auto* g = find_group(groups, u.group_id);
            ordered_json profile = ordered_json::object();
            for (const auto& [member, value] : u.profile)
                profile[member] = value;
            list.push_back({{"id", u.id},
                            {"email", u.email},
                            {"first_name", u.first_name},
                            {"last_name", u.last_name},
                            {"display_name", u.display_name},
                            {"status", u.pending ? "pending" : "active"},
                            {"group", g ? g->name : std::string()},
                            {"profile", std::move(profile)}});
        }
        return list;
    };
    ordered_json subs = ordered_json::object();
    for (const auto& [id, users] : sub_users_)
        subs[id] = listed(users, sub_groups_[id]);
    return ordered_json{{"users", listed(users_, groups_)}, {"sub_accounts", std::move(subs)}}
        .dump();
}

void simulator::profile_stats(ordered_json& stats) const {
    stats["group_lists"] = profile_counts_.group_lists;
    stats["patches"] = profile_counts_.patches;
    stats["groups_set"] = profile_counts_.groups_set;
    stats["profiles_applied"] = profile_counts_.profiles_applied;
    stats["profiles_to_pending"] = profile_counts_.profiles_to_pending;
    stats["member_calls"] = profile_counts_.member_calls;
    stats["members_added"] = profile_counts_.members_added;
    stats["deletes"] = profile_counts_.deletes;
    stats["deletes_of_pending"] = profile_counts_.deletes_of_pending;
    stats["delete_misses"] = profile_counts_.delete_misses;
    stats["deletions_by_email"] = deletions_by_email_;
    stats["user_lists"] = user_lists_;
}

} // namespace zoomsim
