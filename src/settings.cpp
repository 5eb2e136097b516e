#include "zprov/settings.hpp"

#include "zprov/name_table.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <fstream>
#include <functional>
#include <sstream>

namespace zprov {

namespace {
using json = nlohmann::json;

struct config_context {
    const std::string& file;
    const std::string& key;

    [[noreturn]] void fail(const std::string& problem) const {
        throw fatal_error(exit_code::config, file + ": \"" + key + "\": " + problem);
    }
    [[noreturn]] void expected(const std::string& what, const json& got) const {
        fail("expected " + what + ", got " + got.dump());
    }
    std::string text(const json& v) const {
        if (!v.is_string())
            expected("a string", v);
        return v.get<std::string>();
    }
    bool boolean(const json& v) const {
        if (!v.is_boolean())
            expected("true or false", v);
        return v.get<bool>();
    }
    std::int64_t integer(const json& v, std::int64_t lo, std::int64_t hi) const {
        if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
            expected("an integer from " + std::to_string(lo) + " to " + std::to_string(hi), v);
        return v.get<std::int64_t>();
    }
    template <class T>
    T choice(const json& v, std::optional<T> (*parse)(std::string_view),
             const std::string& names) const {
        if (v.is_string())
            if (auto parsed = parse(v.get<std::string>()))
                return *parsed;
        expected("one of " + names, v);
    }
};

using setter = std::function<void(settings&, const json&, const config_context&)>;

struct config_key {
    std::string_view name;
    setter set;
};

const std::array<config_key, 18>& config_keys() {
    static const std::array<config_key, 18> keys{{
        {"journal",
         [](settings& s, const json& v, const config_context& c) { s.journal = c.text(v); }},
        {"plan",
         [](settings& s, const json& v, const config_context& c) {
             s.plan_id = c.choice<plan>(v, parse_plan, plan_names());
         }},
        {"action",
         [](settings& s, const json& v, const config_context& c) {
             s.action = c.choice<create_action>(v, parse_action, action_names());
         }},
        {"type",
         [](settings& s, const json& v, const config_context& c) {
             if (!v.is_number_integer() || !is_user_type(v.get<int>()))
                 c.expected("a user type: " + user_type_names(), v);
             s.type = v.get<int>();
         }},
        {"base-url",
         [](settings& s, const json& v, const config_context& c) { s.base_url = c.text(v); }},
        {"oauth-url",
         [](settings& s, const json& v, const config_context& c) { s.oauth_url = c.text(v); }},
        {"ca-file",
         [](settings& s, const json& v, const config_context& c) { s.ca_file = c.text(v); }},
        {"concurrency",
         [](settings& s, const json& v, const config_context& c) {
             s.concurrency = static_cast<int>(
                 c.integer(v, setting_limits::concurrency_min, setting_limits::concurrency_max));
         }},
        {"rate",
         [](settings& s, const json& v, const config_context& c) {
             if (!v.is_number() || v.get<double>() <= 0 ||
                 v.get<double>() > setting_limits::rate_max)
                 c.expected("a number of requests per second above 0 and at most " +
                                std::to_string(static_cast<int>(setting_limits::rate_max)),
                            v);
             s.rate = v.get<double>();
         }},
        {"daily-cap", [](settings& s, const json& v,
                         const config_context& c) { s.daily_cap = c.integer(v, 1, 10'000'000); }},
        {"body",
         [](settings& s, const json& v, const config_context& c) {
             s.body = c.choice<body_format>(v, parse_body_format, "json|multipart");
         }},
        {"wait",
         [](settings& s, const json& v, const config_context& c) { s.wait = c.boolean(v); }},
        {"retry-failed", [](settings& s, const json& v,
                            const config_context& c) { s.retry_failed = c.boolean(v); }},
        {"dry-run",
         [](settings& s, const json& v, const config_context& c) { s.dry_run = c.boolean(v); }},
        {"summary-json",
         [](settings& s, const json& v, const config_context& c) { s.summary_json = c.text(v); }},
        {"progress",
         [](settings& s, const json& v, const config_context& c) {
             s.progress = c.choice<progress_mode>(v, parse_progress_mode, "auto|always|never");
         }},
        {"max-attempts",
         [](settings& s, const json& v, const config_context& c) {
             s.max_attempts = static_cast<int>(
                 c.integer(v, setting_limits::max_attempts_min, setting_limits::max_attempts_max));
         }},
        {"columns",
         [](settings& s, const json& v, const config_context& c) {
             if (!v.is_object())
                 c.expected("an object mapping CSV headers to fields", v);
             for (const auto& [header, target] : v.items()) {
                 const config_context inner{c.file, c.key + "\": \"" + header};
                 if (target.is_null() ||
                     (target.is_string() && target.get<std::string>() == "ignore")) {
                     s.columns[header] = std::nullopt;
                     continue;
                 }
                 s.columns[header] = inner.choice<field>(target, parse_field,
                                                         joined_names(field_table()) + "|ignore");
             }
         }},
    }};
    return keys;
}

// Names that must never be in a config file: credentials come from the environment.
bool is_credential_key(const std::string& key) {
    for (std::string_view word : {"token", "secret", "client", "account", "password", "credential"})
        if (key.find(word) != std::string::npos)
            return true;
    return false;
}
} // namespace

std::optional<body_format> parse_body_format(std::string_view s) {
    if (s == "json")
        return body_format::json;
    if (s == "multipart")
        return body_format::multipart;
    return std::nullopt;
}

std::optional<progress_mode> parse_progress_mode(std::string_view s) {
    if (s == "auto")
        return progress_mode::automatic;
    if (s == "always")
        return progress_mode::always;
    if (s == "never")
        return progress_mode::never;
    return std::nullopt;
}

std::optional<std::string> check_default_type(int type, create_action action) {
    if (!is_user_type(type))
        return "not a user type; use " + user_type_names();
    if (type == 99 && !info_of(action).allows_type_none)
        return "99 (None) is only allowed with action ssoCreate";
    return std::nullopt;
}

settings parse_config(std::string_view text, const std::string& file_name) {
    json doc;
    try {
        doc = json::parse(text, nullptr, true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        throw fatal_error(exit_code::config, file_name + ": not valid JSON: " + e.what());
    }
    if (!doc.is_object())
        throw fatal_error(exit_code::config, file_name + ": expected a JSON object at the top");

    settings s;
    for (const auto& [key, value] : doc.items()) {
        const config_context context{file_name, key};
        const auto& keys = config_keys();
        auto it = std::find_if(keys.begin(), keys.end(),
                               [&context](const config_key& k) { return k.name == context.key; });
        if (it != keys.end()) {
            it->set(s, value, context);
        } else if (is_credential_key(key)) {
            context.fail(
                "credentials are read from the environment only (ZOOM_ACCESS_TOKEN, or "
                "ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET); remove this key");
        } else {
            std::string known;
            for (const auto& k : keys)
                known += (known.empty() ? "" : ", ") + std::string(k.name);
            context.fail("unknown key; known keys are " + known);
        }
    }
    if (s.type && s.action)
        if (auto why = check_default_type(*s.type, *s.action))
            throw fatal_error(exit_code::config, file_name + ": \"type\": " + *why);
    return s;
}

settings load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw fatal_error(exit_code::config, path + ": cannot read the config file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path);
}

void overlay(settings& base, const settings& top) {
    auto take = [](auto& into, const auto& from) {
        if (from)
            into = from;
    };
    take(base.journal, top.journal);
    take(base.plan_id, top.plan_id);
    take(base.action, top.action);
    take(base.type, top.type);
    take(base.base_url, top.base_url);
    take(base.oauth_url, top.oauth_url);
    take(base.ca_file, top.ca_file);
    take(base.concurrency, top.concurrency);
    take(base.rate, top.rate);
    take(base.daily_cap, top.daily_cap);
    take(base.body, top.body);
    take(base.wait, top.wait);
    take(base.retry_failed, top.retry_failed);
    take(base.dry_run, top.dry_run);
    take(base.summary_json, top.summary_json);
    take(base.progress, top.progress);
    take(base.max_attempts, top.max_attempts);
    for (const auto& [header, target] : top.columns)
        base.columns[header] = target;
}

} // namespace zprov

namespace zprov {

send_limits resolve_limits(const settings& s) {
    send_limits l{};
    l.plan_id = s.plan_id.value_or(default_plan);
    l.action = s.action.value_or(create_action::create);
    const auto& plan = limits_of(l.plan_id);
    l.rate = s.rate.value_or(plan.requests_per_second);
    l.daily_cap = info_of(l.action).daily_capped ? s.daily_cap.value_or(plan.daily_create_cap) : 0;
    return l;
}

} // namespace zprov
