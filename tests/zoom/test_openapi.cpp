// Zoom's facts (zprov_facts) against Zoom's own OpenAPI (tests/contract/openapi/, a copy of
// zoom/users.openapi.json and users-master.openapi.json): each call's path, operation,
// rate-limit category and scopes in the classic, granular and master forms, the page sizes,
// the field limits, the user types and actions, and the answer codes zprov's lifecycle
// relies on. A fact that departs from the OpenAPI fails here.
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"
#include "zprov/zoom/plans.hpp"
#include "zprov/zoom/user_info.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>

using namespace zprov;
using nlohmann::json;
namespace api = zprov::zoom_api;

namespace {

const json& openapi(const std::string& name) {
    static std::map<std::string, json> loaded;
    auto found = loaded.find(name);
    if (found == loaded.end()) {
        std::ifstream in(zprov::test::source_dir() + "/tests/contract/openapi/" + name);
        REQUIRE_MESSAGE(in, "cannot read " << name);
        found = loaded.emplace(name, json::parse(in)).first;
    }
    return found->second;
}
const json& own() {
    return openapi("users.openapi.json");
}
const json& master() {
    return openapi("users-master.openapi.json");
}

// "/groups/{id}/members/{id}" matches "/groups/{groupId}/members/{memberId}".
bool same_template(std::string_view facts, std::string_view documented) {
    static const std::regex parameter(R"(\{[^}]+\})");
    return std::regex_replace(std::string(facts), parameter, "{}") ==
           std::regex_replace(std::string(documented), parameter, "{}");
}

// The operation documented for `method` on a template matching `path`, or null.
const json* operation(const json& doc, std::string_view method, std::string_view path) {
    std::string verb(method);
    std::transform(verb.begin(), verb.end(), verb.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& [documented, item] : doc["paths"].items())
        if (same_template(path, documented) && item.contains(verb))
            return &item[verb];
    return nullptr;
}

std::set<std::string> as_set(std::span<const std::string_view> scopes) {
    return {scopes.begin(), scopes.end()};
}
// Scopes in order, one text, so that a failure shows both sides.
std::string listed(const std::set<std::string>& scopes) {
    std::string out;
    for (const auto& scope : scopes)
        out += (out.empty() ? "" : " ") + scope;
    return out;
}
std::string listed(std::span<const std::string_view> scopes) {
    return listed(as_set(scopes));
}
std::string listed(const json& list) {
    return listed(list.get<std::set<std::string>>());
}

// The "Rate Limit Label" of an operation's description, lower-cased: "light", "medium".
std::string rate_label(const json& op) {
    static const std::regex label(R"(Rate Limit Label[^`]*`(\w+)`)");
    std::smatch m;
    const auto text = op["description"].get<std::string>();
    if (!std::regex_search(text, m, label))
        return "";
    auto out = m[1].str();
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The error codes an operation's answer of `status` lists ("**Error Code:** `1120`").
std::set<int> documented_codes(const json& op, int status) {
    std::set<int> codes;
    const auto responses = op["responses"];
    if (!responses.contains(std::to_string(status)))
        return codes;
    static const std::regex code(R"(\*\*Error Code:\*\*\s*`(\d+)`)");
    const auto text = responses[std::to_string(status)]["description"].get<std::string>();
    for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it)
        codes.insert(std::stoi((*it)[1].str()));
    return codes;
}

const json& parameter(const json& op, std::string_view name) {
    for (const auto& p : op["parameters"])
        if (p["name"] == name)
            return p;
    FAIL("no parameter " << name);
    static const json none;
    return none;
}

const json& body_schema(const json& op) {
    return op["requestBody"]["content"]["application/json"]["schema"];
}

} // namespace

TEST_CASE("zoom facts vs OpenAPI: the server, and each call's path, operation and category") {
    CHECK(own()["servers"][0]["url"] == std::string(api::base_url));
    CHECK(master()["servers"][0]["url"] == std::string(api::base_url));
    CHECK(std::string(api::base_url).ends_with(api::version_path));
    std::set<api::operation> seen;
    for (const auto& call : api::call_table()) {
        CAPTURE(call.operation_id);
        CHECK(seen.insert(call.id).second);
        CHECK(&api::info_of(call.id) == &call);
        const auto* op = operation(own(), call.method, call.path);
        REQUIRE_MESSAGE(op, call.method << " " << call.path << " is not in the OpenAPI");
        CHECK((*op)["operationId"] == std::string(call.operation_id));
        CHECK(rate_label(*op) == lower(info_of(call.category).name));
        const auto master_path = std::string(api::accounts_path) + "/{id}" + std::string(call.path);
        const auto* sub = operation(master(), call.method, master_path);
        REQUIRE_MESSAGE(sub, call.method << " " << master_path << " is not in the master OpenAPI");
        CHECK((*sub)["operationId"] == std::string(call.operation_id));
        CHECK(rate_label(*sub) == lower(info_of(call.category).name));
        // The table's lookups find the call at its own path and under a sub-account.
        const auto concrete =
            std::regex_replace(std::string(call.path), std::regex(R"(\{id\})"), "x");
        CHECK(api::find_call(call.method, concrete)->call == &call);
        CHECK_FALSE(api::find_call(call.method, concrete)->sub_account);
        CHECK(api::find_call(call.method, "/accounts/S1" + concrete)->sub_account);
        CHECK(api::category_of(call.method, concrete) == call.category);
    }
}

TEST_CASE("zoom facts vs OpenAPI: each call's scopes, classic, granular and :master") {
    for (const auto& call : api::call_table()) {
        CAPTURE(call.operation_id);
        const auto& op = *operation(own(), call.method, call.path);
        CHECK(listed(call.own.classic) == listed(op["x-extensions"]["x-macro-scopes"]));
        CHECK(listed(call.own.granular) == listed(op["x-extensions"]["x-granular-scopes"]));
        const auto& sub =
            *operation(master(), call.method,
                       std::string(api::accounts_path) + "/{id}" + std::string(call.path));
        CHECK(listed(call.master.classic) == listed(sub["x-extensions"]["x-macro-scopes"]));
        CHECK(listed(call.master.granular) == listed(sub["x-extensions"]["x-granular-scopes"]));
        for (auto scope : call.own.granular)
            CHECK(api::scopes_allow("other:scope " + std::string(scope), call, false));
        for (auto scope : call.master.granular) {
            CHECK(api::scopes_allow(std::string(scope), call, true));
            CHECK_FALSE(api::scopes_allow(std::string(scope), call, false));
        }
    }
    // The scopes zprov names in its messages are those of the calls they are about.
    const auto& create = api::info_of(api::operation::create_user);
    CHECK(as_set(create.own.classic).contains(std::string(api::scope_user_write_admin)));
    CHECK(as_set(create.own.classic).contains(std::string(api::scope_user_write)));
    CHECK(as_set(create.own.granular).contains(std::string(api::scope_user_write_granular)));
    CHECK(as_set(create.master.classic).contains(std::string(api::scope_user_master)));
    CHECK(as_set(create.master.granular).contains(std::string(api::scope_user_write_master)));
    const auto& get = api::info_of(api::operation::get_user);
    CHECK(as_set(get.own.classic).contains(std::string(api::scope_user_read_admin)));
    CHECK(as_set(get.own.granular).contains(std::string(api::scope_user_read_granular)));
    CHECK_FALSE(api::scopes_allow("", create, false));
    CHECK_FALSE(api::scopes_allow("user:write:admi user:write:user:admin2", create, false));
}

TEST_CASE("zoom facts vs OpenAPI: page sizes and members per call") {
    const auto& users = *operation(own(), "GET", "/users");
    CHECK(parameter(users, "page_size")["schema"]["maximum"] == api::list_users_max_page_size);
    CHECK(parameter(users, "page_size")["schema"]["default"] == api::default_page_size);
    const auto& groups = *operation(own(), "GET", "/groups");
    CHECK(parameter(groups, "page_size")["schema"]["maximum"] == api::list_groups_max_page_size);
    CHECK(api::max_page_size ==
          std::min(api::list_users_max_page_size, api::list_groups_max_page_size));
    // Zoom writes the limit as "maximum" on the array.
    const auto& members = *operation(own(), "POST", "/groups/{id}/members");
    CHECK(body_schema(members)["properties"]["members"]["maximum"] == api::max_members_per_call);
}

TEST_CASE("zoom facts vs OpenAPI: field limits, user types and actions of POST /users") {
    const auto& create = body_schema(*operation(own(), "POST", "/users"));
    const auto& info = create["properties"]["user_info"]["properties"];
    using limits = user_info_limits;
    CHECK(info["email"]["maxLength"] == limits::email_max);
    CHECK(info["first_name"]["maxLength"] == limits::name_max);
    CHECK(info["last_name"]["maxLength"] == limits::name_max);
    CHECK(info["display_name"]["maxLength"] == limits::display_name_max);
    CHECK(info["password"]["minLength"] == limits::password_min);
    CHECK(info["password"]["maxLength"] == limits::password_max);
    std::set<int> types;
    for (const auto& t : user_type_table())
        types.insert(t.number);
    CHECK(info["type"]["enum"].get<std::set<int>>() == types);
    std::set<std::string> actions;
    for (const auto& a : action_table())
        actions.insert(std::string(a.name));
    CHECK(create["properties"]["action"]["enum"].get<std::set<std::string>>() == actions);
}

TEST_CASE("zoom facts vs OpenAPI: the profile fields of PATCH /users/{userId}") {
    const auto& update = body_schema(*operation(own(), "PATCH", "/users/{id}"))["properties"];
    CHECK(update["job_title"]["maxLength"] == profile_limits::job_title_max);
    CHECK(update["location"]["maxLength"] == profile_limits::location_max);
    CHECK(update["company"]["maxLength"] == profile_limits::company_max);
    for (auto unlimited : {"dept", "manager", "cost_center"}) {
        CAPTURE(unlimited);
        REQUIRE(update.contains(unlimited));
        CHECK_FALSE(update[unlimited].contains("maxLength"));
    }
    REQUIRE(update.contains(std::string(group_id_member)));
    CHECK(update[std::string(group_id_member)]["description"].get<std::string>().find(
              "pending user") != std::string::npos);
}

TEST_CASE("zoom facts vs OpenAPI: answer codes are Zoom's, where the lifecycle meets them") {
    // Codes FACTS.md documents from beyond the OpenAPI (forum, other clients, Zoom's error
    // code page): none of its operations lists them.
    const std::set<int> beyond{zoom_code::scope_missing, zoom_code::scope_missing_granular,
                               zoom_code::account_not_found, zoom_code::rate_limited};
    std::set<int> documented;
    for (const auto* doc : {&own(), &master()})
        for (const auto& [path, item] : (*doc)["paths"].items())
            for (const auto& [method, op] : item.items())
                for (const auto& [status, response] : op["responses"].items())
                    for (int code : documented_codes(op, std::stoi(status)))
                        documented.insert(code);
    for (const auto& row : zoom_code_table()) {
        CAPTURE(row.code);
        CHECK(documented.contains(row.code) != beyond.contains(row.code));
    }
    auto at = [](api::operation op, int status) {
        const auto& call = api::info_of(op);
        return documented_codes(*operation(own(), call.method, call.path), status);
    };
    using enum api::operation;
    for (auto op : {get_user, update_user, delete_user}) {
        CAPTURE(api::info_of(op).operation_id);
        CHECK(at(op, 400).contains(zoom_code::invitation_expired));
        CHECK(at(op, 404).contains(zoom_code::user_not_found));
    }
    CHECK(at(create_user, 409).contains(zoom_code::email_used));
    CHECK(at(create_user, 400).contains(zoom_code::active_elsewhere));
    CHECK(at(create_user, 404).contains(zoom_code::group_not_found));
    for (auto op : {list_groups, add_group_members, update_group_member})
        CHECK(at(op, 404).contains(zoom_code::group_not_found));
    CHECK(at(update_group_member, 404).contains(zoom_code::group_member_not_found));
}

TEST_CASE("zoom facts vs OpenAPI: the paths zprov builds are the calls' paths") {
    struct built {
        std::string path;
        api::operation op;
    };
    using enum api::operation;
    for (std::string account : {"", "S1"}) {
        const std::vector<built> paths{
            {api::create_users_path(account), create_user},
            {api::user_path(account, "u1"), get_user},
            {api::list_groups_path(account), list_groups},
            {api::group_members_path(account, "g1"), add_group_members},
            {api::group_member_path(account, "g1", "u1"), update_group_member},
        };
        for (const auto& [path, op] : paths) {
            CAPTURE(path);
            const auto& call = api::info_of(op);
            auto found = api::find_call(call.method, path);
            REQUIRE(found);
            CHECK(found->call == &call);
            CHECK(found->sub_account == !account.empty());
        }
    }
}
