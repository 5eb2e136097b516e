// The account's groups, as GET /groups lists them, and matching a sheet's User Group cell to
// one of them by name, case-insensitive. Plain values; throws nothing but std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zprov {

struct account_group {
    std::string id, name;
};

class group_directory {
public:
    void add(account_group g) { groups_.push_back(std::move(g)); }
    // The group named `name` (case-insensitive), or nullptr.
    const account_group* find(std::string_view name) const;
    // "Sales, Support" (or "none" for an account without groups).
    std::string names() const;
    std::size_t size() const { return groups_.size(); }

private:
    std::vector<account_group> groups_;
};

// One page of GET /groups: its groups and the token of the next page (empty: the last).
struct groups_page {
    std::vector<account_group> groups;
    std::string next_page_token;
};
std::optional<groups_page> read_groups_page(std::string_view body);

// The reason a row's User Group cell names no group of the account, or std::nullopt (then
// `group_id` is the group's id).
std::optional<std::string> match_group(const group_directory& groups, std::string_view name,
                                       std::string& group_id);

} // namespace zprov
