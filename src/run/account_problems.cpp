#include "zprov/run/account_problems.hpp"

#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"
#include "zprov/zoom/user_info.hpp"

#include <algorithm>
#include <span>

namespace zprov {

namespace {
std::string scope_names(bool sub_account = false) {
    if (sub_account)
        return std::string(zoom_api::scope_user_write_master) + " or " +
               std::string(zoom_api::scope_user_master) +
               " (a master account's scopes for its sub-accounts' users)";
    return std::string(zoom_api::scope_user_write_admin) + " (classic scopes) or " +
           std::string(zoom_api::scope_user_write_granular) + " (granular scopes)";
}

bool allows_create(std::string_view scope, bool sub_account) {
    if (sub_account)
        return scope == zoom_api::scope_user_write_master || scope == zoom_api::scope_user_master;
    return scope == zoom_api::scope_user_write_admin || scope == zoom_api::scope_user_write ||
           scope == zoom_api::scope_user_write_granular;
}

std::string type_name(int type) {
    for (const auto& t : user_type_table())
        if (t.number == type)
            return std::string(t.name);
    return "type " + std::to_string(type);
}
} // namespace

bool can_create_users(std::string_view scopes, bool sub_account) {
    while (!scopes.empty()) {
        const auto end = scopes.find(' ');
        if (allows_create(scopes.substr(0, end), sub_account))
            return true;
        scopes = end == std::string_view::npos ? std::string_view() : scopes.substr(end + 1);
    }
    return false;
}

std::string create_scope_missing(std::string_view scopes, bool sub_account) {
    return "the app's token cannot create users" +
           std::string(sub_account ? " in a sub-account (--account-id)" : "") +
           ": its scopes are \"" + std::string(scopes) + "\". Add " + scope_names(sub_account) +
           " to the Server-to-Server OAuth app in the Zoom App Marketplace. Nothing was sent";
}

std::vector<zoom_api::operation> operations_of(const run_calls& run) {
    using op = zoom_api::operation;
    std::vector<op> ops{op::create_user, op::get_user}; // a 409 is looked up
    if (run.updates)
        ops.push_back(op::update_user);
    if (run.follows_invitations)
        ops.push_back(op::list_users);
    if (run.groups) {
        ops.push_back(op::list_groups);
        ops.push_back(op::add_group_members);   // an active user joins its group
        ops.push_back(op::update_group_member); // and changes it (move)
    }
    if (run.reinvites)
        ops.push_back(op::delete_user);
    return ops;
}

namespace {
std::vector<std::string_view> split_scopes(std::string_view scopes) {
    std::vector<std::string_view> out;
    while (!scopes.empty()) {
        const auto end = scopes.find(' ');
        if (end != 0)
            out.push_back(scopes.substr(0, end));
        scopes = end == std::string_view::npos ? std::string_view() : scopes.substr(end + 1);
    }
    return out;
}

bool in(std::span<const std::string_view> set, std::string_view scope) {
    return std::find(set.begin(), set.end(), scope) != set.end();
}

// Whether the token holds any granular scope of any call (then it is a granular app).
bool granular_token(const std::vector<std::string_view>& held) {
    for (const auto& call : zoom_api::call_table())
        for (auto scope : held)
            if (in(call.own.granular, scope) || in(call.master.granular, scope))
                return true;
    return false;
}

// The scope of `set` an app adds for a call: the administrator's (":admin", or ":master" for
// a sub-account) where the set has one, else its first.
std::string_view to_add(std::span<const std::string_view> set, bool sub_account) {
    const std::string_view suffix = sub_account ? ":master" : ":admin";
    for (auto scope : set)
        if (scope.ends_with(suffix))
            return scope;
    return set.empty() ? std::string_view() : set.front();
}
} // namespace

std::vector<std::string> missing_scopes(std::string_view scopes,
                                        const std::vector<zoom_api::operation>& ops,
                                        bool sub_account) {
    const auto held = split_scopes(scopes);
    const bool granular = granular_token(held);
    std::vector<std::string> missing;
    for (auto op : ops) {
        const auto& call = zoom_api::info_of(op);
        if (zoom_api::scopes_allow(scopes, call, sub_account))
            continue;
        const auto& sets = sub_account ? call.master : call.own;
        const auto name = std::string(to_add(granular ? sets.granular : sets.classic, sub_account));
        if (!name.empty() && std::find(missing.begin(), missing.end(), name) == missing.end())
            missing.push_back(name);
    }
    return missing;
}

std::string scopes_missing_message(std::string_view scopes, const std::vector<std::string>& missing,
                                   bool sub_account) {
    std::string names;
    for (const auto& m : missing)
        names += (names.empty() ? "" : ", ") + m;
    return "the app's token lacks scopes this run needs" +
           std::string(sub_account ? " in a sub-account (--account-id)" : "") + ": add " + names +
           " to the Server-to-Server OAuth app in the Zoom App Marketplace (its scopes are \"" +
           std::string(scopes) + "\"). Nothing was sent";
}

std::string account_fix(const zoom_answer& a) {
    switch (a.code.value_or(0)) {
    case zoom_code::scope_missing:
    case zoom_code::scope_missing_granular:
        return "the app's token lacks a scope: add " + scope_names() +
               " to the Server-to-Server OAuth app in the Zoom App Marketplace";
    case zoom_code::account_not_found:
        return "the --account-id is not a sub-account of the app's (master) account: check the "
               "id (Admin > Account Management > Sub Accounts), or leave --account-id out to "
               "create users in the app's own account";
    case zoom_code::sso_not_enabled:
        return "SSO is not enabled for the account: enable it, or use another --action";
    case zoom_code::sso_not_preprovisioned:
        return "--action ssoCreate needs Zoom's SSO pre-provisioning option on the account: ask "
               "Zoom to enable it, or use --action create";
    case zoom_code::cannot_add_users:
    case zoom_code::no_permission:
        return "the account may not add users: check its plan and that the app's account has "
               "the User Management privilege";
    default:
        return "check that the app has " + scope_names() +
               " and that its account may create users (the User Management privilege)";
    }
}

void seat_holds::hold(int type, const zoom_answer& answer) {
    auto [it, fresh] = held_.try_emplace(type);
    if (!fresh)
        return;
    it->second.code = answer.code.value_or(0);
    if (auto info = find_zoom_code(it->second.code))
        it->second.meaning = std::string(info->meaning);
    else
        it->second.meaning = answer.message;
}

std::string seat_holds::message() const {
    std::string out;
    for (const auto& [type, h] : held_) {
        out += out.empty() ? "" : "; ";
        out += "no seats left for " + type_name(type) + " users (Zoom's code " +
               std::to_string(h.code) + ": " + h.meaning + "): " + std::to_string(h.rows) +
               " rows of that type stay pending";
    }
    return out + ". Add " + (held_.size() == 1 ? "those seats" : "seats of those types") +
           " to the account's plan (Admin > Account Management > Billing), or change the rows' "
           "type, then rerun";
}

bool refusal_breaker::refused(std::optional<int> code, const std::string& row) {
    if (!code) {
        streak_ = 0;
        return false;
    }
    if (code != code_) {
        code_ = code;
        streak_ = 0;
    } else if (row == last_row_) {
        return streak_ >= limit_; // the same row again: not a distinct one
    }
    last_row_ = row;
    return ++streak_ >= limit_;
}

std::string refusal_breaker::message() const {
    const int code = code_.value_or(0);
    auto info = find_zoom_code(code);
    return "Zoom refused " + std::to_string(limit_) + " rows in a row with the same code " +
           std::to_string(code) + (info ? " (" + std::string(info->meaning) + ")" : "") +
           ": that is about the account or the whole sheet, not single rows. Stopped so as not "
           "to send every row into the same refusal (Zoom may disable apps with many errors); "
           "the unsent rows stay pending. See `zprov report --failed-only`, fix, and rerun";
}

} // namespace zprov
