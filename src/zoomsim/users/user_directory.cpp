// An account's users (zoom/users.openapi.json): adding them (POST /users), looking them up
// (GET /users/{userId}: a pending user's created_at is the time of the call, its
// user_created_at the creation), the profile fields of PATCH /users/{userId} (sent to a
// pending user they are answered 204 and dropped), deleting them (DELETE /users/{userId}),
// their invitations (accepted at once or on a trigger a test arms) and the dump GET
// /_sim/users answers. An expired invitation answers 400/1120 to GET, PATCH and DELETE
// (zoom/FACTS.md, "Users after creation"); expiry itself is a matter of time: expired().
#include "zoomsim/users/user_directory.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/options.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zprov/base/ascii.hpp"
#include "zprov/zoom/user_info.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
} // namespace

bool user_directory::expired(const user& u) const {
    return u.pending && shared_.time.now() >= u.created_at + shared_.options.invitation_lifetime;
}

user* user_directory::find(std::string_view which) {
    auto found = users_.find(email_key(which));
    if (found == users_.end()) {
        auto by_id = ids_.find(std::string(which));
        if (by_id != ids_.end())
            found = users_.find(by_id->second);
        if (found != users_.end() && found->second.id != which)
            found = users_.end(); // that email's user in this account is another one
    }
    return found == users_.end() ? nullptr : &found->second;
}

sim_reply user_directory::expired_answer() {
    ++shared_.stats.expired_answers;
    return error_reply(invitation_not_found());
}

bool user_directory::email_taken(std::string_view email) {
    const auto key = email_key(email);
    auto found = users_.find(key);
    if (found != users_.end() && expired(found->second) &&
        shared_.options.expired_create == expired_create_rule::new_invitation) {
        // The lapsed invitation is withdrawn: its id keeps answering 1120.
        withdrawn_invitations_.insert(found->second.id);
        remove_user(found->second);
        found = users_.end();
    }
    return found != users_.end() || shared_.elsewhere.contains(key);
}

const user& user_directory::add_user(const new_user& record, bool pending,
                                     std::optional<utc_time> created_at) {
    user u;
    u.id = new_user_id();
    u.email = record.email;
    u.first_name = record.first_name;
    u.last_name = record.last_name;
    u.display_name = record.display_name;
    if (u.display_name.empty()) // Zoom shows "First Last" when no display name is given
        u.display_name = std::string(zprov::trim(u.first_name + " " + u.last_name));
    u.type = record.type;
    u.pending = pending;
    u.created_at =
        std::chrono::floor<std::chrono::seconds>(created_at.value_or(shared_.time.now()));
    if (u.type == zprov::licensed_user_type)
        ++shared_.stats.licensed;
    auto key = email_key(record.email);
    ids_.emplace(u.id, key);
    return users_.insert_or_assign(std::move(key), std::move(u)).first->second;
}

void user_directory::remove_user(const user& u) {
    if (u.type == zprov::licensed_user_type && shared_.stats.licensed > 0)
        --shared_.stats.licensed;
    ids_.erase(u.id);
    users_.erase(email_key(u.email)); // last: `u` lives in users_
}

// Zoom's user ids: 22 characters of base64url.
std::string user_directory::new_user_id() {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (;;) {
        std::string id;
        for (int i = 0; i < 22; ++i)
            id += alphabet[shared_.ids() % alphabet.size()];
        if (!ids_.contains(id) && !withdrawn_invitations_.contains(id))
            return id;
    }
}

void user_directory::accept(user& u) {
    if (!invited(u))
        return; // active already, or the invitation lapsed: nothing to accept
    u.pending = false;
    ++shared_.stats.activations;
}

std::int64_t user_directory::activate_all() {
    const auto before = shared_.stats.activations;
    for (auto& [key, u] : users_)
        accept(u);
    return shared_.stats.activations - before;
}

std::int64_t user_directory::activate(const std::vector<std::string>& emails) {
    const auto before = shared_.stats.activations;
    for (const auto& email : emails)
        if (auto found = users_.find(email_key(email)); found != users_.end())
            accept(found->second);
    return shared_.stats.activations - before;
}

bool user_directory::activate_on(std::string_view email, std::string_view trigger, int nth) {
    return invitations_.arm(email_key(email), trigger, nth);
}

void user_directory::fire(std::string_view kind, const std::string& key) {
    for (const auto& fired : invitations_.fire(kind, key))
        if (auto found = users_.find(fired); found != users_.end())
            accept(found->second);
}

bool user_directory::fault_deletes(std::string_view email, std::string_view fault, int times) {
    return invitations_.fault_deletes(email_key(email), fault, times);
}

sim_reply user_directory::missing(std::string_view which) {
    return withdrawn_invitations_.contains(std::string(which))
               ? expired_answer()
               : error_reply(user_does_not_exist(which));
}

sim_reply user_directory::get_user(std::string_view which) {
    ++shared_.stats.lookups;
    auto* u = find(which);
    if (!u)
        return missing(which);
    fire("get", email_key(u->email));
    if (expired(*u))
        return expired_answer();
    // "created_at: the date and time when this user's latest login type was created": for a
    // pending user, the time of the call (zoom/FACTS.md).
    ordered_json doc{{"id", u->id},
                     {"email", u->email},
                     {"first_name", u->first_name},
                     {"last_name", u->last_name},
                     {"display_name", u->display_name},
                     {"type", u->type},
                     {"status", u->pending ? "pending" : "active"},
                     {"created_at", iso_time(u->pending ? shared_.time.now() : u->created_at)},
                     {"user_created_at", iso_time(u->created_at)}};
    for (const auto& [member, value] : u->profile)
        doc[member] = value;
    doc["group_ids"] = u->group_ids;
    return json_reply(200, doc);
}

void user_directory::update_profile(user& u, std::map<std::string, std::string> profile) {
    if (profile.empty())
        return;
    if (u.pending) {
        ++shared_.stats.profiles_to_pending; // answered with success, not applied
        shared_.stats.profile_fields_to_pending[email_key(u.email)] +=
            static_cast<std::int64_t>(profile.size());
        return;
    }
    for (auto& [member, value] : profile)
        u.profile[member] = std::move(value);
    ++shared_.stats.profiles_applied;
}

// DELETE /users/{userId}?action=disassociate|delete (disassociate when absent), answered
// 204. Disassociating unlinks the user from the account: an active user keeps a Zoom
// account of their own (a later create answers 409 as for any Zoom user elsewhere), a
// pending one's invitation is withdrawn. Zoom's documentation says to remove a pending
// user with disassociate; what it answers to delete is not documented, and zoomsim refuses
// it so that a client relying on it is caught.
sim_reply user_directory::delete_user(std::string_view which, std::string_view query) {
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    const auto action = find_field(fields, "action").value_or("disassociate");
    if (action != "disassociate" && action != "delete")
        return error_reply(invalid_field("action", "must be disassociate or delete"));
    auto* u = find(which);
    if (!u) {
        if (withdrawn_invitations_.contains(std::string(which)))
            return expired_answer();
        ++shared_.stats.delete_misses;
        return error_reply(user_does_not_exist(which));
    }
    const auto key = email_key(u->email);
    fire("delete", key);
    if (expired(*u))
        return expired_answer();
    if (action == "delete" && u->pending)
        return error_reply(
            invalid_field("action", "a pending user is removed with action=disassociate"));
    if (action == "disassociate" && !u->pending)
        shared_.elsewhere.insert(key);
    auto& stats = shared_.stats;
    ++stats.deletes;
    ++(u->pending ? stats.deletes_of_pending : stats.deletes_of_active);
    ++stats.deletions_by_email[key];
    ++stats.deletions_by_id[u->id];
    remove_user(*u);
    if (auto fault = invitations_.take_delete_fault(key)) {
        ++stats.delete_faults;
        if (*fault == "drop")
            return dropped_reply();
        return error_reply(concurrent_delete());
    }
    return no_content();
}

nlohmann::ordered_json
user_directory::users_json(const std::function<std::string(std::string_view)>& group_name) const {
    ordered_json list = ordered_json::array();
    for (const auto& [key, u] : users_) {
        ordered_json profile = ordered_json::object();
        for (const auto& [member, value] : u.profile)
            profile[member] = value;
        ordered_json groups = ordered_json::array();
        for (const auto& id : u.group_ids)
            groups.push_back(group_name(id));
        const auto primary = u.group_ids.empty() ? std::string() : group_name(u.group_ids[0]);
        list.push_back({{"id", u.id},
                        {"email", u.email},
                        {"first_name", u.first_name},
                        {"last_name", u.last_name},
                        {"display_name", u.display_name},
                        {"status", expired(u)  ? "expired"
                                   : u.pending ? "pending"
                                               : "active"},
                        {"user_created_at", iso_time(u.created_at)},
                        {"group", primary},
                        {"groups", std::move(groups)},
                        {"primary_group", primary},
                        {"profile", std::move(profile)}});
    }
    return list;
}

std::int64_t user_directory::pending_count() const {
    return std::count_if(users_.begin(), users_.end(),
                         [this](const auto& entry) { return invited(entry.second); });
}

std::int64_t user_directory::expired_count() const {
    return std::count_if(users_.begin(), users_.end(),
                         [this](const auto& entry) { return expired(entry.second); });
}

std::vector<std::string> user_directory::emails() const {
    std::vector<std::string> out;
    for (const auto& [key, u] : users_)
        out.push_back(u.email);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace zoomsim
