#include "zprov/journal/invitations.hpp"

#include <algorithm>
#include <chrono>

namespace zprov {

bool is_stale(const row_state& row, sys_seconds now, int days) {
    if (row.last != outcome::created || row.open_intent || row.zoom != zoom_state::pending ||
        row.since == 0)
        return false;
    const sys_seconds created{std::chrono::seconds(row.since)};
    return now - created > std::chrono::days(days);
}

std::vector<stale_invitation> stale_invitations(const journal_summary& s, sys_seconds now,
                                                int days) {
    std::vector<stale_invitation> out;
    for (const auto& [key, row] : s.rows)
        if (is_stale(row, now, days))
            out.push_back({key, sys_seconds(std::chrono::seconds(row.since))});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.created != b.created ? a.created < b.created : a.email < b.email;
    });
    return out;
}

} // namespace zprov
