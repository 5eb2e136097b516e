// Setting an option from the text the command line gives, or from a config file's JSON
// value: each value is parsed as its setting's type and checked against the option's range
// or choices (the option table says which).
#include "zprov/cli/option_table.hpp"

#include "zprov/cli/settings.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/run/import.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace zprov {

namespace {

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t v{};
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || p != end)
        return std::nullopt;
    return v;
}

// Finite numbers only: "nan", "inf" and "1e400" are refused.
std::optional<double> parse_number(std::string_view text) {
    double v{};
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || p != end || !std::isfinite(v))
        return std::nullopt;
    return v;
}

bool listed(const option_spec& o, std::string_view text) {
    return std::find(o.choices.begin(), o.choices.end(), text) != o.choices.end();
}

bool in_range(const option_spec& o, double v) {
    return v >= o.min && v <= o.max;
}

std::optional<plan> parse_as(std::string_view t, plan*) {
    return parse_plan(t);
}
std::optional<create_action> parse_as(std::string_view t, create_action*) {
    return parse_action(t);
}
std::optional<body_format> parse_as(std::string_view t, body_format*) {
    return parse_body_format(t);
}
std::optional<progress_mode> parse_as(std::string_view t, progress_mode*) {
    return parse_progress_mode(t);
}
std::optional<csv_encoding> parse_as(std::string_view t, csv_encoding*) {
    return parse_encoding(t);
}
std::optional<csv_delimiter> parse_as(std::string_view t, csv_delimiter*) {
    return parse_delimiter(t);
}

template <class T>
std::optional<T> parse_value(const option_spec& o, std::string_view text) {
    if constexpr (std::is_same_v<T, std::string>) {
        if (o.kind == value_kind::choice && !listed(o, text))
            return std::nullopt;
        return std::string(text);
    } else if constexpr (std::is_same_v<T, bool>) {
        if (text == "true" || text == "false")
            return text == "true";
        return std::nullopt;
    } else if constexpr (std::is_integral_v<T>) {
        auto v = parse_integer(text);
        if (!v || (o.kind == value_kind::choice ? !listed(o, text)
                                                : !in_range(o, static_cast<double>(*v))))
            return std::nullopt;
        return static_cast<T>(*v);
    } else if constexpr (std::is_floating_point_v<T>) {
        auto v = parse_number(text);
        if (!v || !in_range(o, *v))
            return std::nullopt;
        return static_cast<T>(*v);
    } else {
        if (!listed(o, text))
            return std::nullopt;
        return parse_as(text, static_cast<T*>(nullptr));
    }
}

// A config value as the command line would spell it, if it has the kind's JSON type.
std::optional<std::string> json_as_text(const option_spec& o, const nlohmann::json& v) {
    const bool numeric_choice = std::holds_alternative<setting_of<int>>(o.member);
    switch (o.kind) {
    case value_kind::flag:
        if (v.is_boolean())
            return v.get<bool>() ? "true" : "false";
        return std::nullopt;
    case value_kind::integer:
        return v.is_number_integer() ? std::optional(v.dump()) : std::nullopt;
    case value_kind::number:
        return v.is_number() ? std::optional(v.dump()) : std::nullopt;
    case value_kind::choice:
        if (numeric_choice)
            return v.is_number_integer() ? std::optional(v.dump()) : std::nullopt;
        [[fallthrough]];
    case value_kind::text:
        if (o.repeatable && v.is_array() && !v.empty()) {
            std::string lines;
            for (const auto& item : v) {
                if (!item.is_string())
                    return std::nullopt;
                lines += lines.empty() ? "" : "\n";
                lines += item.get<std::string>();
            }
            return lines;
        }
        return v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt;
    }
    return std::nullopt;
}

} // namespace

bool set_from_text(settings& s, const option_spec& o, std::string_view text) {
    return std::visit(
        [&](auto member) {
            using value_type = typename std::remove_reference_t<decltype(s.*member)>::value_type;
            auto value = parse_value<value_type>(o, text);
            if constexpr (std::is_same_v<value_type, std::string>)
                if (value && o.repeatable && s.*member && !(s.*member)->empty())
                    value = *(s.*member) + "\n" + *value; // kept in the order given
            if (value)
                s.*member = std::move(*value);
            return value.has_value();
        },
        o.member);
}

bool set_from_json(settings& s, const option_spec& o, const nlohmann::json& value) {
    auto text = json_as_text(o, value);
    return text && set_from_text(s, o, *text);
}

bool is_set(const settings& s, const option_spec& o) {
    return std::visit([&](auto member) { return (s.*member).has_value(); }, o.member);
}

void take_if_set(settings& base, const settings& top, const option_spec& o) {
    std::visit(
        [&](auto member) {
            if (top.*member)
                base.*member = top.*member;
        },
        o.member);
}

} // namespace zprov
