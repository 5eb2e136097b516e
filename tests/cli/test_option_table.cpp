#include "zprov/cli/option_table.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace zprov;

namespace {
// A value the option accepts, spelled as on the command line.
std::string sample_value(const option_spec& o) {
    switch (o.kind) {
    case value_kind::flag:
        return "true";
    case value_kind::integer:
    case value_kind::number:
        return std::to_string(static_cast<std::int64_t>(o.max));
    case value_kind::choice:
        return o.choices.back();
    case value_kind::text:
        break;
    }
    return "/tmp/some file";
}

// The same value as a config file holds it.
nlohmann::json sample_json(const option_spec& o) {
    auto text = sample_value(o);
    if (o.kind == value_kind::flag)
        return true;
    if (o.kind == value_kind::text ||
        (o.kind == value_kind::choice && !std::holds_alternative<setting_of<int>>(o.member)))
        return text;
    return nlohmann::json::parse(text);
}
} // namespace

TEST_CASE("option table: every option is reachable from the command line and the config file "
          "and lands in the same settings member") {
    REQUIRE(option_table().size() >= 17);
    for (const auto& o : option_table()) {
        CAPTURE(o.name);
        CHECK(find_option(o.name) == &o);
        CHECK((o.commands & for_run) != 0); // run takes every option validate takes
        settings from_cli, from_config;
        CHECK_FALSE(is_set(from_cli, o));
        CHECK(set_from_text(from_cli, o, sample_value(o)));
        CHECK(is_set(from_cli, o));
        auto config = nlohmann::json{{o.name, sample_json(o)}};
        from_config = parse_config(config.dump(), "c.json");
        CHECK(is_set(from_config, o));
        // Overlaying one on an empty settings carries exactly this member.
        settings carried;
        take_if_set(carried, from_config, o);
        CHECK(is_set(carried, o));
        for (const auto& other : option_table())
            if (&other != &o)
                CHECK_FALSE(is_set(carried, other));
        // Both sides parsed to the same value.
        std::visit([&](auto member) { CHECK(from_cli.*member == from_config.*member); }, o.member);
    }
}

TEST_CASE("option table: numbers must be finite and in range, on both sides") {
    for (const auto& o : option_table()) {
        if (o.kind != value_kind::integer && o.kind != value_kind::number)
            continue;
        CAPTURE(o.name);
        settings s;
        for (auto bad : {"nan", "NaN", "inf", "-inf", "1e400", "", "12abc", "0x10", " 5"})
            CHECK_FALSE(set_from_text(s, o, bad));
        CHECK_FALSE(set_from_text(s, o, std::to_string(o.min - 1)));
        CHECK_FALSE(set_from_text(s, o, std::to_string(static_cast<std::int64_t>(o.max) + 1)));
        CHECK_FALSE(set_from_json(s, o, nlohmann::json(o.max + 1)));
        CHECK_FALSE(set_from_json(s, o, nlohmann::json("5")));
        CHECK_FALSE(is_set(s, o));
        CHECK(set_from_text(s, o, std::to_string(static_cast<std::int64_t>(o.max))));
    }
    settings s;
    const auto& rate = *find_option("rate");
    CHECK_FALSE(set_from_text(s, rate, "-1"));
    CHECK_FALSE(set_from_text(s, rate, "0"));
    CHECK(set_from_text(s, rate, "0.5"));
    CHECK(s.rate == 0.5);
    CHECK(set_from_json(s, rate, nlohmann::json(20)));
    CHECK(s.rate == 20);
    CHECK_FALSE(set_from_json(s, *find_option("concurrency"), nlohmann::json(8.5)));
}

TEST_CASE("option table: choices come from the fact tables - one spelling set for plans") {
    const auto& plan_option = *find_option("plan");
    for (const auto& p : plan_table())
        CHECK(plan_option.value_name.find(p.name) != std::string::npos);
    for (const auto& choice : plan_option.choices) {
        CAPTURE(choice);
        settings from_cli;
        CHECK(set_from_text(from_cli, plan_option, choice));
        CHECK(from_cli.plan_id == parse_plan(choice));
        auto from_config = parse_config(R"({"plan": ")" + choice + R"("})", "c.json");
        CHECK(from_config.plan_id == from_cli.plan_id);
    }
    settings s;
    CHECK(set_from_text(s, plan_option, "business+"));
    CHECK(s.plan_id == plan::business);
    CHECK_FALSE(set_from_text(s, plan_option, "gold"));
    CHECK_FALSE(set_from_text(s, plan_option, "Pro")); // the command line never took other cases

    const auto& action_option = *find_option("action");
    CHECK(action_option.choices.size() == action_table().size());
    for (const auto& a : action_table())
        CHECK(set_from_text(s, action_option, a.name));
    const auto& type_option = *find_option("type");
    for (const auto& t : user_type_table())
        CHECK(set_from_text(s, type_option, std::to_string(t.number)) != t.deprecated);
    CHECK_FALSE(set_from_text(s, type_option, "3"));
    CHECK(type_option.expected.find("99 (None) is deprecated") != std::string::npos);
    CHECK_FALSE(set_from_json(s, type_option, nlohmann::json("2")));
}

TEST_CASE("option table: defaults are valid values, applied in one place") {
    for (const auto& o : option_table()) {
        CAPTURE(o.name);
        // Each option says its default, or why it has none.
        CHECK((!o.default_value.empty() || !o.default_note.empty() || o.kind == value_kind::text));
        if (o.default_value.empty())
            continue;
        settings s;
        CHECK(set_from_text(s, o, o.default_value));
        if (o.kind != value_kind::flag)
            CHECK(help_with_default(o).find("default") != std::string::npos);
    }
    settings s;
    apply_defaults(s);
    for (const auto& o : option_table())
        if (!o.default_value.empty() || o.name == "rate" || o.name == "daily-cap")
            CHECK_MESSAGE(is_set(s, o), o.name);
    CHECK(s.plan_id == default_plan);
    CHECK(s.rate == limits_of(default_plan).requests_per_second);
    CHECK(s.daily_cap == limits_of(default_plan).daily_create_cap);
    CHECK(s.wait == false);

    settings free;
    free.plan_id = plan::free;
    free.rate = 2;
    apply_defaults(free);
    CHECK(free.rate == 2);
    CHECK(free.daily_cap == limits_of(plan::free).daily_create_cap);
}
