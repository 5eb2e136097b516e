#include "zprov/cli/settings.hpp"

#include "zprov/base/name_table.hpp"
#include "zprov/cli/option_table.hpp"
#include "zprov/sheet/validation.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <set>

namespace zprov {

namespace {
using json = nlohmann::json;

[[noreturn]] void config_fail(const std::string& file, const std::string& key,
                              const std::string& problem) {
    throw fatal_error(exit_code::config, file + ": \"" + key + "\": " + problem);
}

void set_columns(settings& s, const json& v, const std::string& file) {
    if (!v.is_object())
        config_fail(file, "columns",
                    "expected an object mapping CSV headers to fields, got " + v.dump());
    for (const auto& [header, target] : v.items()) {
        if (target.is_null() || (target.is_string() && target.get<std::string>() == "ignore")) {
            s.columns[header] = std::nullopt;
            continue;
        }
        std::optional<field> f;
        if (target.is_string())
            f = parse_field(target.get<std::string>());
        if (!f)
            config_fail(file, "columns\": \"" + header,
                        "expected one of " + joined_names(field_table()) + "|ignore, got " +
                            target.dump());
        s.columns[header] = *f;
    }
}

// Names that must never be in a config file: credentials come from the environment.
bool is_credential_key(const std::string& key) {
    for (std::string_view word : {"token", "secret", "client", "account", "password", "credential"})
        if (key.find(word) != std::string::npos)
            return true;
    return false;
}

void set_key(settings& s, const std::string& key, const json& value, const std::string& file) {
    if (key == "columns")
        return set_columns(s, value, file);
    if (const auto* option = find_option(key)) {
        if (!set_from_json(s, *option, value))
            config_fail(file, key, "expected " + option->expected + ", got " + value.dump());
        return;
    }
    if (is_credential_key(key))
        config_fail(file, key,
                    "credentials are read from the environment only (" + credential_variables() +
                        "); remove this key");
    std::string known;
    for (const auto& o : option_table())
        known += o.name + ", ";
    config_fail(file, key, "unknown key; known keys are " + known + "columns");
}

// nlohmann keeps the last of two equal keys: a parser callback notices the first repeat.
class duplicate_keys {
public:
    explicit duplicate_keys(std::vector<std::string>& found) : found_(found) {}
    bool operator()(int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) {
            objects_.push_back({objects_.empty() ? "" : objects_.back().last, {}, {}});
        } else if (event == json::parse_event_t::object_end && !objects_.empty()) {
            objects_.pop_back();
        } else if (event == json::parse_event_t::key && !objects_.empty()) {
            auto& current = objects_.back();
            current.last = parsed.get<std::string>();
            if (!current.keys.insert(current.last).second)
                found_.push_back("\"" + current.last + "\"" +
                                 (current.name.empty() ? "" : " in \"" + current.name + "\""));
        }
        return true;
    }

private:
    struct open_object {
        std::string name; // the key it is the value of
        std::set<std::string> keys;
        std::string last;
    };
    std::vector<open_object> objects_;
    std::vector<std::string>& found_;
};

void emit(const warning_sink& warn, const std::string& message) {
    if (warn)
        warn(message);
    else
        std::cerr << "zprov: warning: " << message << "\n";
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

settings parse_config(std::string_view text, const std::string& file_name,
                      const warning_sink& warn) {
    json doc;
    std::vector<std::string> repeated;
    try {
        doc = json::parse(text, duplicate_keys(repeated), true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        throw fatal_error(exit_code::config, file_name + ": not valid JSON: " + e.what());
    } catch (const json::exception& e) {
        // A number too large for a double (1e400) is valid JSON but no usable value.
        throw fatal_error(exit_code::config, file_name + ": unusable value: " + e.what());
    }
    if (!doc.is_object())
        throw fatal_error(exit_code::config, file_name + ": expected a JSON object at the top");
    for (const auto& key : repeated)
        emit(warn, file_name + ": " + key + " is given more than once; the last one is used");

    settings s;
    for (const auto& [key, value] : doc.items())
        set_key(s, key, value, file_name);
    return s;
}

settings load_config(const std::string& path, const warning_sink& warn) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw fatal_error(exit_code::config, path + ": cannot read the config file");
    // Read one byte past the bound: an endless file (/dev/zero) stops there.
    std::string text(setting_limits::config_bytes_max + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        throw fatal_error(exit_code::config, path + ": cannot read the config file");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > setting_limits::config_bytes_max)
        throw fatal_error(exit_code::config,
                          path + ": larger than " +
                              std::to_string(setting_limits::config_bytes_max / 1024) +
                              " KiB: not a config file");
    return parse_config(text, path, warn);
}

void overlay(settings& base, const settings& top) {
    for (const auto& option : option_table())
        take_if_set(base, top, option);
    for (const auto& [header, target] : top.columns)
        base.columns[header] = target;
}

void apply_defaults(settings& s) {
    // ZoomGov's hosts replace the defaults only: a URL given explicitly still wins.
    if (s.zoomgov.value_or(false)) {
        if (!s.base_url)
            s.base_url = std::string(zoom_api::gov_base_url);
        if (!s.oauth_url)
            s.oauth_url = std::string(zoom_api::gov_oauth_url);
    }
    for (const auto& option : option_table())
        if (!option.default_value.empty() && !is_set(s, option))
            set_from_text(s, option, option.default_value);
    const auto limits = resolve_limits(s);
    s.rate = limits.rate;
    if (!s.daily_cap)
        s.daily_cap = limits_of(limits.plan_id).daily_create_cap;
}

std::vector<std::string> setting_warnings(const settings& s) {
    std::vector<std::string> out;
    const auto limits = resolve_limits(s);
    const auto& plan = limits_of(limits.plan_id);
    if (s.daily_cap && limits.daily_cap > plan.daily_create_cap)
        out.push_back("daily cap " + std::to_string(limits.daily_cap) + " is above the " +
                      std::string(plan.title) + " plan's " + std::to_string(plan.daily_create_cap) +
                      " creates per UTC day: Zoom will still refuse creates beyond its cap");
    return out;
}

std::string credential_variables() {
    return "ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET "
           "(Server-to-Server OAuth)";
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
