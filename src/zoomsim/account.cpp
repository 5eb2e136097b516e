#include "zoomsim/account.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/user_info.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <string>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
namespace zoom_api = zprov::zoom_api;

// PATCH /users/{userId} profile fields zoomsim stores (zoom/FACTS.md, "Users after
// creation").
constexpr std::array<std::string_view, 6> profile_members{"dept",    "job_title", "location",
                                                          "manager", "company",   "cost_center"};

// The one path segment after `collection` ("/users/{x}" gives "x"); std::nullopt when `path`
// is not that collection's member.
std::optional<std::string_view> segment_after(std::string_view path, std::string_view collection) {
    if (!path.starts_with(collection) || path.size() < collection.size() + 2 ||
        path[collection.size()] != '/')
        return std::nullopt;
    auto rest = path.substr(collection.size() + 1);
    if (rest.find('/') != std::string_view::npos)
        return std::nullopt;
    return rest;
}

std::string_view query_of(std::string_view target) {
    auto question = target.find('?');
    return question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
}
} // namespace

std::optional<sim_reply> account::call(const sim_request& request, std::string_view tail) {
    const auto method = request.method;
    const auto query = query_of(request.target);
    if (method == "GET" && tail == zoom_api::users_path)
        return users_.list_users(query);
    if (auto raw = segment_after(tail, zoom_api::users_path)) {
        auto which = percent_decode(*raw, false).value_or(std::string(*raw));
        if (method == "GET")
            return users_.get_user(which);
        if (method == "PATCH")
            return update_user(which, request.body);
        if (method == "DELETE")
            return users_.delete_user(which, query);
        return std::nullopt;
    }
    if (method == "GET" && tail == zoom_api::groups_path)
        return groups_.list_groups(query, users_);
    // /groups/{groupId}/members and /groups/{groupId}/members/{memberId}
    const std::string groups_prefix = std::string(zoom_api::groups_path) + "/";
    if (!tail.starts_with(groups_prefix))
        return std::nullopt;
    std::vector<std::string> parts;
    for (auto rest = tail.substr(groups_prefix.size());;) {
        auto slash = rest.find('/');
        auto raw = rest.substr(0, slash);
        parts.push_back(percent_decode(raw, false).value_or(std::string(raw)));
        if (slash == std::string_view::npos)
            break;
        rest = rest.substr(slash + 1);
    }
    if (parts.size() < 2 || parts[1] != "members" || parts[0].empty())
        return std::nullopt;
    if (method == "POST" && parts.size() == 2)
        return groups_.add_members(parts[0], request.body, users_);
    if (method == "PATCH" && parts.size() == 3 && !parts[2].empty())
        return groups_.update_member(parts[0], parts[2], request.body, users_);
    return std::nullopt;
}

// Profile fields (a pending user's are answered and dropped) and group_id (an unknown group
// is refused before anything changes).
sim_reply account::update_user(std::string_view which, std::string_view body) {
    auto* u = users_.find(which);
    if (!u)
        return users_.missing(which);
    if (users_.expired(*u))
        return users_.expired_answer();
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
    if (auto it = doc.find(std::string(zprov::group_id_member)); it != doc.end()) {
        if (!it->is_string())
            return error_reply(invalid_member(zprov::group_id_member, "must be a string"));
        group_id = it->get<std::string>();
        // PATCH documents no 4130 (its 404 is 1001 only): an unknown group is a validation
        // failure of the body.
        if (!groups_.find(group_id))
            return error_reply(invalid_field(zprov::group_id_member, "no such group"));
    }
    ++users_.stats().patches;
    if (!group_id.empty())
        groups_.set_group_by_patch(*u, group_id);
    users_.update_profile(*u, std::move(profile));
    return no_content();
}

ordered_json account::users_json() const {
    return users_.users_json([this](std::string_view id) { return groups_.name_of(id); });
}

} // namespace zoomsim
