#include "zoomsim/users/invitations.hpp"

#include <algorithm>
#include <utility>

namespace zoomsim {

bool invitations::arm(const std::string& key, std::string_view trigger_kind, int nth) {
    if (trigger_kind != "list" && trigger_kind != "get" && trigger_kind != "delete")
        return false;
    triggers_.emplace(key, trigger{std::string(trigger_kind), std::max(1, nth)});
    return true;
}

std::vector<std::string> invitations::fire(std::string_view kind, const std::string& key) {
    std::vector<std::string> fired;
    auto [from, to] =
        key.empty() ? std::pair{triggers_.begin(), triggers_.end()} : triggers_.equal_range(key);
    for (auto it = from; it != to;) {
        if (it->second.kind != kind || --it->second.remaining > 0) {
            ++it;
            continue;
        }
        fired.push_back(it->first);
        it = triggers_.erase(it);
    }
    return fired;
}

bool invitations::fault_deletes(const std::string& key, std::string_view fault, int times) {
    if (fault != "concurrent-429" && fault != "drop")
        return false;
    delete_faults_[key] = delete_fault{std::string(fault), std::max(1, times)};
    return true;
}

std::optional<std::string> invitations::take_delete_fault(const std::string& key) {
    auto found = delete_faults_.find(key);
    if (found == delete_faults_.end())
        return std::nullopt;
    auto kind = found->second.kind;
    if (--found->second.remaining == 0)
        delete_faults_.erase(found);
    return kind;
}

} // namespace zoomsim
