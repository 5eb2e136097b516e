// The simulated account's users: who exists, looking them up, adding them, and the lists
// of emails tests give zoomsim.
#include "zoomsim/simulator.hpp"

#include "zoomsim/ascii.hpp"
#include "zoomsim/form.hpp"
#include "zoomsim/sim_replies.hpp"
#include "zoomsim/user_rules.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
} // namespace

std::string iso_time(utc_time t) {
    const auto day = day_of(t);
    const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(t - day)};
    char text[16];
    std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return format_day(day) + text;
}

std::string email_key(std::string_view email) {
    return ascii_lower(email);
}

sim_reply json_reply(int status, const ordered_json& body) {
    sim_reply reply;
    reply.status = status;
    reply.body = body.dump();
    return reply;
}

sim_reply error_reply(const api_error& error) {
    ordered_json body{{"code", error.code}, {"message", error.message}};
    if (!error.detail.empty())
        body["errors"] =
            ordered_json::array({ordered_json{{"field", error.field}, {"message", error.detail}}});
    return json_reply(error.status, body);
}

std::vector<std::string> read_email_list(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot be read");
    std::vector<std::string> emails;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        auto email = trim(line, " \t\r");
        if (email.empty() || email.front() == '#')
            continue;
        if (auto why = email_problem(email))
            throw std::runtime_error(path + ": line " + std::to_string(number) + ": '" +
                                     std::string(email) + "': " + *why);
        emails.emplace_back(email);
    }
    return emails;
}

sim_reply simulator::get_user(std::string_view which, user_table& users) {
    ++counts_.lookups;
    const auto* u = find_user(which, users);
    if (!u)
        return error_reply(user_does_not_exist(which));
    ordered_json doc{{"id", u->id},
                     {"email", u->email},
                     {"first_name", u->first_name},
                     {"last_name", u->last_name},
                     {"display_name", u->display_name},
                     {"type", u->type},
                     {"status", u->pending ? "pending" : "active"},
                     {"created_at", iso_time(u->created_at)}};
    for (const auto& [member, value] : u->profile)
        doc[member] = value;
    doc["group_ids"] =
        u->group_id.empty() ? ordered_json::array() : ordered_json::array({u->group_id});
    return json_reply(200, doc);
}

// DELETE /users/{userId}?action=disassociate|delete (disassociate when absent), answered
// 204. Disassociating unlinks the user from the account: an active user keeps a Zoom
// account of their own (a later create answers 409 as for any Zoom user elsewhere), a
// pending one's invitation is withdrawn. Zoom's documentation says to remove a pending
// user with disassociate; what it answers to delete is not documented, and zoomsim refuses
// it so that a client relying on it is caught.
sim_reply simulator::delete_user(std::string_view which, std::string_view query,
                                 user_table& users) {
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    const auto action = find_field(fields, "action").value_or("disassociate");
    if (action != "disassociate" && action != "delete")
        return error_reply(invalid_field("action", "must be disassociate or delete"));
    auto* u = find_user(which, users);
    if (!u) {
        ++profile_counts_.delete_misses;
        return error_reply(user_does_not_exist(which));
    }
    if (action == "delete" && u->pending)
        return error_reply(
            invalid_field("action", "a pending user is removed with action=disassociate"));
    auto key = email_key(u->email);
    if (action == "disassociate" && !u->pending)
        elsewhere_.insert(key);
    if (u->type == 2 && licensed_ > 0)
        --licensed_;
    ++profile_counts_.deletes;
    profile_counts_.deletes_of_pending += u->pending ? 1 : 0;
    ++deletions_by_email_[key];
    user_ids_.erase(u->id);
    users.erase(key);
    sim_reply reply;
    reply.status = 204;
    reply.body.clear();
    return reply;
}

// POST /_sim/activate: pending users accept Zoom's invitation. The body names them,
// {"emails": ["a@example.com", ...]}, or takes every one, {"all": true}; it answers
// {"activated": N}, the pending users it turned active.
sim_reply simulator::activate(std::string_view body) {
    const auto doc = ordered_json::parse(body, nullptr, false);
    const bool all = doc.is_object() && doc.value("all", false) == true;
    const auto emails = doc.is_object() ? doc.find("emails") : doc.end();
    const bool listed =
        emails != doc.end() && emails->is_array() &&
        std::all_of(emails->begin(), emails->end(), [](const auto& e) { return e.is_string(); });
    if (!all && !listed)
        return json_reply(400, ordered_json{{"error", "give {\"all\": true} or "
                                                      "{\"emails\": [...]}"}});
    std::int64_t activated = 0;
    auto accept = [&activated](user& u) {
        activated += u.pending;
        u.pending = false;
    };
    if (all)
        for (auto& [key, u] : users_)
            accept(u);
    else
        for (const auto& e : *emails)
            if (auto found = users_.find(email_key(e.get<std::string>())); found != users_.end())
                accept(found->second);
    return json_reply(200, ordered_json{{"activated", activated}});
}

std::int64_t simulator::pending_users() const {
    return std::count_if(users_.begin(), users_.end(),
                         [](const auto& entry) { return entry.second.pending; });
}

simulator::user& simulator::add_user(const new_user& record, bool pending, user_table& into) {
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
    u.created_at = std::chrono::floor<std::chrono::seconds>(clock_.utc());
    if (u.type == 2)
        ++licensed_;
    auto key = email_key(record.email);
    user_ids_.emplace(u.id, key);
    return into.insert_or_assign(std::move(key), std::move(u)).first->second;
}

// Zoom's user ids: 22 characters of base64url.
std::string simulator::new_user_id() {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (;;) {
        std::string id;
        for (int i = 0; i < 22; ++i)
            id += alphabet[ids_() % alphabet.size()];
        if (!user_ids_.contains(id))
            return id;
    }
}

} // namespace zoomsim
