#include "zprov/run/steps/group_directory.hpp"

#include "zprov/base/text.hpp"
#include "zprov/base/utf8.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

namespace zprov {

namespace {
// The groups a missing group's message names: enough to spot a typo, few enough that an
// account of 10,000 groups does not put them all in every row's record.
constexpr std::size_t close_names_shown = 5;

// `s` as code points, ASCII letters lower-cased; a byte that is not UTF-8 stands for itself.
std::u32string folded(std::string_view s) {
    std::u32string out;
    while (!s.empty()) {
        const auto c = utf8_decode_first(s);
        const char32_t value = c ? c->value : static_cast<unsigned char>(s.front());
        out += value < 0x80 ? static_cast<char32_t>(ascii_lower(static_cast<char>(value))) : value;
        s.remove_prefix(c ? c->bytes : 1);
    }
    return out;
}

// The edit distance of `a` and `b` (insertions, deletions, substitutions of code points), or
// `bound` + 1 once it is sure to exceed `bound`.
std::size_t edit_distance(std::u32string_view a, std::u32string_view b, std::size_t bound) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > bound)
        return bound + 1;
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0], smallest = row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const auto above = row[j];
            row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
            smallest = std::min(smallest, row[j]);
        }
        if (smallest > bound)
            return bound + 1;
    }
    return std::min(row[b.size()], bound + 1);
}

// "'A'", "'A' and 'B'", "'A', 'B' and 'C'": names as the account has them, made visible.
std::string quoted_names(const std::vector<const account_group*>& groups) {
    std::string out;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (i > 0)
            out += i + 1 == groups.size() ? " and " : ", ";
        out.append("'").append(visible_text(groups[i]->name)).append("'");
    }
    return out;
}

bool ascii_only(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}
} // namespace

void group_directory::add(account_group g) {
    folded_.push_back(folded(g.name));
    groups_.push_back(std::move(g));
}

const account_group* group_directory::find(std::string_view name,
                                           std::vector<const account_group*>& ties) const {
    ties.clear();
    for (const auto& g : groups_) {
        if (g.name == name)
            return &g;
        if (iequals(g.name, name))
            ties.push_back(&g);
    }
    return ties.size() == 1 ? ties.front() : nullptr;
}

std::vector<const account_group*> group_directory::closest(std::string_view name,
                                                           std::size_t most) const {
    const auto wanted = folded(name);
    // A typo or two, or a third of the name: beyond that a name is another name.
    const auto bound = std::max<std::size_t>(2, wanted.size() / 3);
    std::vector<std::tuple<std::size_t, std::string_view, const account_group*>> near;
    for (std::size_t i = 0; i < groups_.size(); ++i) {
        const auto& candidate = folded_[i];
        const auto distance = edit_distance(wanted, candidate, bound);
        const bool holds = std::min(wanted.size(), candidate.size()) >= 3 &&
                           (candidate.find(wanted) != std::u32string::npos ||
                            wanted.find(candidate) != std::u32string::npos);
        if (distance > bound && !holds)
            continue;
        near.emplace_back(distance, groups_[i].name, &groups_[i]);
    }
    const auto shown = std::min(most, near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(shown), near.end());
    std::vector<const account_group*> out;
    for (std::size_t i = 0; i < shown; ++i)
        out.push_back(std::get<2>(near[i]));
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
        auto id = g["id"].get<std::string>();
        // The id goes into POST /groups/{groupId}/members: it must be a path segment.
        if (!zoom_api::path_segment(id))
            return std::nullopt;
        page.groups.push_back({std::move(id), g["name"].get<std::string>()});
    }
    return page;
}

std::optional<std::string> match_group(const group_directory& groups, std::string_view name,
                                       std::string& group_id) {
    std::vector<const account_group*> ties;
    if (const auto* g = groups.find(name, ties)) {
        group_id = g->id;
        return std::nullopt;
    }
    const auto cell = std::string("User Group '").append(visible_text(name)).append("'");
    if (!ties.empty())
        return cell + " is ambiguous: the account has " + quoted_names(ties) +
               ", which differ only in case; write the name exactly as in Zoom";
    auto why = cell + " does not exist in the account";
    if (groups.size() == 0)
        return why + " (it has no groups)";
    const auto count = with_commas(static_cast<std::int64_t>(groups.size())) +
                       (groups.size() == 1 ? " group" : " groups");
    const auto near = groups.closest(name, close_names_shown);
    if (near.empty())
        why += " (" + count + "; none with a close name)";
    else
        why += " (" + count + "); the closest: " + quoted_names(near);
    if (!ascii_only(name))
        why += "; names are matched ignoring the case of ASCII letters only";
    return why;
}

} // namespace zprov
