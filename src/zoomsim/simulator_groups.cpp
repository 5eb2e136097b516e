// The simulated account's groups and the updates after a create: GET /groups (paged),
// PATCH /users/{id} (profile fields and group_id, answered 204), and the users dump tests
// read. As Zoom's documentation and its connectors report: a pending user takes a group,
// while profile changes sent to a pending user are answered with success and not applied.
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

const std::string groups_path =
    std::string(zoom_api::version_path) + std::string(zoom_api::groups_path);
const std::string users_prefix =
    std::string(zoom_api::version_path) + std::string(zoom_api::users_path) + "/";

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
} // namespace

void simulator::add_groups() {
    std::mt19937_64 ids(options_.seed ^ 0x9e0c7ULL);
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (const auto& name : options_.groups) {
        std::string id;
        for (int i = 0; i < 22; ++i)
            id += alphabet[ids() % alphabet.size()];
        groups_.push_back({std::move(id), name});
    }
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

std::optional<sim_reply> simulator::group_or_profile_call(const sim_request& request,
                                                          std::string_view path) {
    if (request.method == "GET" && path == groups_path) {
        auto question = request.target.find('?');
        return list_groups(question == std::string_view::npos
                               ? std::string_view{}
                               : request.target.substr(question + 1));
    }
    if (request.method == "PATCH" && path.starts_with(users_prefix) &&
        path.find('/', users_prefix.size()) == std::string_view::npos) {
        auto raw = path.substr(users_prefix.size());
        auto which = percent_decode(raw, false);
        return update_user(which.value_or(std::string(raw)), request.body);
    }
    if (request.method == "DELETE" && path.starts_with(users_prefix) &&
        path.find('/', users_prefix.size()) == std::string_view::npos) {
        auto raw = path.substr(users_prefix.size());
        auto which = percent_decode(raw, false);
        return delete_user(which.value_or(std::string(raw)));
    }
    return std::nullopt;
}

// Pages by position: the token is the index of the page's first group.
sim_reply simulator::list_groups(std::string_view query) {
    ++profile_counts_.group_lists;
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    const int size =
        std::clamp(query_number(fields, "page_size", default_page_size), 1, max_page_size);
    const int first =
        std::clamp(query_number(fields, "next_page_token", 0), 0, static_cast<int>(groups_.size()));
    const int end = std::min(first + size, static_cast<int>(groups_.size()));
    ordered_json list = ordered_json::array();
    for (int i = first; i < end; ++i) {
        std::int64_t members = 0;
        for (const auto& [key, u] : users_)
            members += u.group_id == groups_[i].id ? 1 : 0;
        list.push_back(
            {{"id", groups_[i].id}, {"name", groups_[i].name}, {"total_members", members}});
    }
    return json_reply(200, ordered_json{
                               {"total_records", groups_.size()},
                               {"groups", std::move(list)},
                               {"next_page_token",
                                end < static_cast<int>(groups_.size()) ? std::to_string(end) : ""},
                           });
}

sim_reply simulator::update_user(std::string_view which, std::string_view body) {
    auto* u = find_user(which, users_);
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
        auto known = std::find_if(groups_.begin(), groups_.end(),
                                  [&](const group& g) { return g.id == group_id; });
        if (known == groups_.end())
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

// Called with the mutex held (from sim_endpoint).
std::string simulator::users_json() {
    ordered_json list = ordered_json::array();
    for (const auto& [key, u] : users_) {
        std::string group_name;
        for (const auto& g : groups_)
            if (g.id == u.group_id)
                group_name = g.name;
        ordered_json profile = ordered_json::object();
        for (const auto& [member, value] : u.profile)
            profile[member] = value;
        list.push_back({{"id", u.id},
                        {"email", u.email},
                        {"status", u.pending ? "pending" : "active"},
                        {"group", group_name},
                        {"profile", std::move(profile)}});
    }
    return ordered_json{{"users", std::move(list)}}.dump();
}

void simulator::profile_stats(ordered_json& stats) const {
    stats["group_lists"] = profile_counts_.group_lists;
    stats["patches"] = profile_counts_.patches;
    stats["groups_set"] = profile_counts_.groups_set;
    stats["profiles_applied"] = profile_counts_.profiles_applied;
    stats["profiles_to_pending"] = profile_counts_.profiles_to_pending;
    stats["deletes"] = profile_counts_.deletes;
    stats["deletes_of_pending"] = profile_counts_.deletes_of_pending;
    stats["delete_misses"] = profile_counts_.delete_misses;
    stats["deletions_by_email"] = deletions_by_email_;
}

} // namespace zoomsim
