// The account's groups, as GET /groups lists them, and matching a sheet's User Group cell to
// one of them by name: exactly, else ignoring the case of ASCII letters (other letters'
// case is not folded) when that names one group only. Plain values; throws nothing but
// std::bad_alloc.
#pragma once

#include <cstddef>
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
    void add(account_group g);
    std::size_t size() const { return groups_.size(); }

    // The group named `name`: the one of that exact name, else the one group whose name
    // differs only in the case of ASCII letters. `ties` gets the groups that differ only so
    // when there are several (and then the result is nullptr).
    const account_group* find(std::string_view name, std::vector<const account_group*>& ties) const;
    // A few groups whose names are close to `name` (by edit distance, ignoring ASCII case, or
    // holding it), closest first: at most `most`.
    std::vector<const account_group*> closest(std::string_view name, std::size_t most) const;

private:
    std::vector<account_group> groups_;
    std::vector<std::u32string> folded_; // each group's name as code points, ASCII lower-cased
};

// One page of GET /groups: its groups and the token of the next page (empty: the last).
struct groups_page {
    std::vector<account_group> groups;
    std::string next_page_token;
};
std::optional<groups_page> read_groups_page(std::string_view body);

// The reason a row's User Group cell names no group of the account, or names several that
// differ only in case, or std::nullopt (then `group_id` is the group's id). The reason names
// a handful of close names and the number of the account's groups, never every group, and
// shows the characters that do not show (<U+00A0>).
std::optional<std::string> match_group(const group_directory& groups, std::string_view name,
                                       std::string& group_id);

} // namespace zprov
