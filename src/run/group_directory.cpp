#include "zprov/run/group_directory.hpp"

#include "zprov/text.hpp"

#include <nlohmann/json.hpp>

namespace zprov {

const account_group* group_directory::find(std::string_view name) const {
    for (const auto& g : groups_)
        if (iequals(g.name, name))
            return &g;
    return nullptr;
}

std::string group_directory::names() const {
    if (groups_.empty())
        return "none";
    std::string out;
    for (const auto& g : groups_)
        out += (out.empty() ? "" : ", ") + g.name;
    return out;
}

std::optional<groups_page> read_groups_page(std::string_view body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    groups_page page;
    if (auto token = doc.find("next_page_token"); token != doc.end() && token->is_string())
        page.next_page_token = token->get<std::string>();
    auto list = doc.find("groups");
    if (list == doc.end())
        return page; // an account without groups may leave the list out
    if (!list->is_array())
        return std::nullopt;
    for (const auto& g : *list) {
        if (!g.is_object() || !g.contains("id") || !g["id"].is_string() || !g.contains("name") ||
            !g["name"].is_string())
            return std::nullopt;
        page.groups.push_back({g["id"].get<std::string>(), g["name"].get<std::string>()});
    }
    return page;
}

std::optional<std::string> match_group(const group_directory& groups, std::string_view name,
                                       std::string& group_id) {
    if (const auto* g = groups.find(name)) {
        group_id = g->id;
        return std::nullopt;
    }
    return "User Group '" + std::string(name) +
           "' does not exist in the account; groups are: " + groups.names();
}

} // namespace zprov
