// The invitations of an account's pending users: accepting them (POST /_sim/activate), at a
// moment a test chooses (POST /_sim/activate-on: between a list and a DELETE, say), and the
// DELETEs tests script to act and then answer the concurrent-request 429 or nothing (POST
// /_sim/delete-fault). Expiry itself is a matter of time: account::expired().
#include "zoomsim/account.hpp"

#include "zoomsim/sim_replies.hpp"

#include <nlohmann/json.hpp>

namespace zoomsim {

void account::accept(user& u) {
    if (!invited(u))
        return; // active already, or the invitation lapsed: nothing to accept
    u.pending = false;
    ++shared_.stats.activations;
}

std::int64_t account::activate_all() {
    const auto before = shared_.stats.activations;
    for (auto& [key, u] : users_)
        accept(u);
    return shared_.stats.activations - before;
}

std::int64_t account::activate(const std::vector<std::string>& emails) {
    const auto before = shared_.stats.activations;
    for (const auto& email : emails)
        if (auto found = users_.find(email_key(email)); found != users_.end())
            accept(found->second);
    return shared_.stats.activations - before;
}

bool account::activate_on(std::string_view email, std::string_view trigger_kind, int nth) {
    if (trigger_kind != "list" && trigger_kind != "get" && trigger_kind != "delete")
        return false;
    triggers_.emplace(email_key(email), trigger{std::string(trigger_kind), std::max(1, nth)});
    return true;
}

void account::fire(std::string_view kind, const std::string& key) {
    auto [from, to] =
        key.empty() ? std::pair{triggers_.begin(), triggers_.end()} : triggers_.equal_range(key);
    for (auto it = from; it != to;) {
        if (it->second.kind != kind || --it->second.remaining > 0) {
            ++it;
            continue;
        }
        if (auto found = users_.find(it->first); found != users_.end())
            accept(found->second);
        it = triggers_.erase(it);
    }
}

bool account::fault_deletes(std::string_view email, std::string_view fault, int times) {
    if (fault != "concurrent-429" && fault != "drop")
        return false;
    delete_faults_[email_key(email)] = delete_fault{std::string(fault), std::max(1, times)};
    return true;
}

std::optional<std::string> account::take_delete_fault(const std::string& key) {
    auto found = delete_faults_.find(key);
    if (found == delete_faults_.end())
        return std::nullopt;
    auto kind = found->second.kind;
    if (--found->second.remaining == 0)
        delete_faults_.erase(found);
    return kind;
}

} // namespace zoomsim
