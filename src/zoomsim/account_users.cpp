// An account's users (zoom/users.openapi.json): adding them (POST /users), looking them up
// (GET /users/{userId}: a pending user's created_at is the time of the call, its
// user_created_at the creation), updating them (PATCH /users/{userId}: profile fields sent
// to a pending user are answered 204 and dropped), deleting them (DELETE /users/{userId}),
// and the dump GET /_sim/users answers. An expired invitation answers 400/1120 to GET,
// PATCH and DELETE (zoom/FACTS.md, "Users after creation").
#include "zoomsim/account.hpp"

#include "zoomsim/ascii.hpp"
#include "zoomsim/form.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zoomsim/simulator.hpp"
#include "zprov/zoom/user_info.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;

// PATCH /users/{userId} profile fields zoomsim stores (zoom/FACTS.md, "Users after
// creation").
constexpr std::array<std::string_view, 6> profile_members{"dept",    "job_title", "location",
                                                          "manager", "company",   "cost_center"};

sim_reply no_content() {
    sim_reply reply;
    reply.status = 204;
    return reply;
}
} // namespace

account::account(account_shared& shared, std::vector<group> groups)
    : shared_(shared), groups_(std::move(groups)) {}

bool account::expired(const user& u) const {
    return u.pending && shared_.now() >= u.created_at + shared_.options.invitation_lifetime;
}

account::user* account::find_user(std::string_view which) {
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

sim_reply account::expired_answer() {
    ++shared_.stats.expired_answers;
    return error_reply(invitation_not_found());
}

bool account::email_taken(std::string_view email) {
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

const account::user& account::add_user(const new_user& record, bool pending,
                                       std::optional<utc_time> created_at) {
    user u;
    u.id = new_user_id();
    u.email = record.email;
    u.first_name = record.first_name;
    u.last_name = record.last_name;
    u.display_name = record.display_name;
    if (u.display_name.empty()) // Zoom shows "First Last" when no display name is given
        u.display_name = std::string(trim(u.first_name + " " + u.last_name));
    u.type = record.type;
    u.pending = pending;
    u.created_at = std::chrono::floor<std::chrono::seconds>(created_at.value_or(shared_.now()));
    if (u.type == zprov::licensed_user_type)
        ++shared_.stats.licensed;
    auto key = email_key(record.email);
    ids_.emplace(u.id, key);
    return users_.insert_or_assign(std::move(key), std::move(u)).first->second;
}

void account::remove_user(const user& u) {
    if (u.type == zprov::licensed_user_type && shared_.stats.licensed > 0)
        --shared_.stats.licensed;
    ids_.erase(u.id);
    users_.erase(email_key(u.email)); // last: `u` lives in users_
}

// Zoom's user ids: 22 characters of base64url.
std::string account::new_user_id() {
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

sim_reply account::get_user(std::string_view which) {
    ++shared_.stats.lookups;
    auto* u = find_user(which);
    if (!u)
        return withdrawn_invitations_.contains(std::string(which))
                   ? expired_answer()
                   : error_reply(user_does_not_exist(which));
    fire("get", email_key(u->email));
    if (expired(*u))
        return expired_answer();
    // "created_at: the date and time when this user's latest login type was created": for a
    // pending user, the time of the call (zoom/FACTS.md).
    const bool created_now = u->pending && !shared_.options.pre_openapi_guesses;
    ordered_json doc{{"id", u->id},
                     {"email", u->email},
                     {"first_name", u->first_name},
                     {"last_name", u->last_name},
                     {"display_name", u->display_name},
                     {"type", u->type},
                     {"status", u->pending ? "pending" : "active"},
                     {"created_at", iso_time(created_now ? shared_.now() : u->created_at)},
                     {"user_created_at", iso_time(u->created_at)}};
    for (const auto& [member, value] : u->profile)
        doc[member] = value;
    doc["group_ids"] = u->group_ids;
    return json_reply(200, doc);
}

sim_reply account::update_user(std::string_view which, std::string_view body) {
    auto* u = find_user(which);
    if (!u)
        return withdrawn_invitations_.contains(std::string(which))
                   ? expired_answer()
                   : error_reply(user_does_not_exist(which));
    if (expired(*u))
        return expired_answer();
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
        if (!find_group(group_id))
            return error_reply(invalid_field(zprov::group_id_member, "no such group"));
    }
    ++shared_.stats.patches;
    if (!group_id.empty())
        set_group_by_patch(*u, group_id);
    if (!profile.empty()) {
        if (u->pending) {
            ++shared_.stats.profiles_to_pending; // answered with success, not applied
            shared_.stats.profile_fields_to_pending[email_key(u->email)] +=
                static_cast<std::int64_t>(profile.size());
        } else {
            for (auto& [member, value] : profile)
                u->profile[member] = std::move(value);
            ++shared_.stats.profiles_applied;
        }
    }
    return no_content();
}

// DELETE /users/{userId}?action=disassociate|delete (disassociate when absent), answered
// 204. Disassociating unlinks the user from the account: an active user keeps a Zoom
// account of their own (a later create answers 409 as for any Zoom user elsewhere), a
// pending one's invitation is withdrawn. Zoom's documentation says to remove a pending
// user with disassociate; what it answers to delete is not documented, and zoomsim refuses
// it so that a client relying on it is caught.
sim_reply account::delete_user(std::string_view which, std::string_view query) {
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    const auto action = find_field(fields, "action").value_or("disassociate");
    if (action != "disassociate" && action != "delete")
        return error_reply(invalid_field("action", "must be disassociate or delete"));
    auto* u = find_user(which);
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
    if (auto fault = take_delete_fault(key)) {
        ++stats.delete_faults;
        if (*fault == "drop")
            return dropped_reply();
        return error_reply(concurrent_delete());
    }
    return no_content();
}

nlohmann::ordered_json account::users_json() const {
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

std::int64_t account::pending_count() const {
    return std::count_if(users_.begin(), users_.end(),
                         [this](const auto& entry) { return invited(entry.second); });
}

std::int64_t account::expired_count() const {
    return std::count_if(users_.begin(), users_.end(),
                         [this](const auto& entry) { return expired(entry.second); });
}

std::vector<std::string> account::emails() const {
    std::vector<std::string> out;
    for (const auto& [key, u] : users_)
        out.push_back(u.email);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace zoomsim
