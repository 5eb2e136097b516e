#include "zprov/cli/settings.hpp"

#include "zprov/cli/option_table.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace zprov;

namespace {
std::string config_error(const std::string& text) {
    try {
        parse_config(text, "c.json");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::config);
        return e.what();
    }
    return "no error";
}
} // namespace

TEST_CASE("config: every option, with comments") {
    auto s = parse_config(R"({
        // where the journal lives
        "journal": "/var/lib/zprov/users.journal",
        "plan": "business", "action": "ssoCreate", "type": 4,
        "base-url": "https://api.zoom.us/v2", "oauth-url": "https://zoom.us/oauth/token",
        "ca-file": "/etc/ssl/ca.pem", "concurrency": 12, "rate": 20.5, "daily-cap": 900,
        "body": "multipart", "wait": true, "retry-failed": false, "dry-run": true,
        "summary-json": "s.json", "progress": "never", "max-attempts": 7,
        /* columns */
        "columns": {"Corporate Mail": "email", "Nickname": "display_name", "Email": null}
    })",
                          "c.json");
    CHECK(s.journal == "/var/lib/zprov/users.journal");
    CHECK(s.plan_id == plan::business);
    CHECK(s.action == create_action::sso_create);
    CHECK(s.type == 4);
    CHECK(s.concurrency == 12);
    CHECK(s.rate == 20.5);
    CHECK(s.daily_cap == 900);
    CHECK(s.body == body_format::multipart);
    CHECK(s.wait == true);
    CHECK(s.retry_failed == false);
    CHECK(s.dry_run == true);
    CHECK(s.progress == progress_mode::never);
    CHECK(s.max_attempts == 7);
    CHECK(s.columns.at("Corporate Mail") == field::email);
    CHECK(s.columns.at("Nickname") == field::display_name);
    CHECK_FALSE(s.columns.at("Email").has_value());
}

TEST_CASE("config errors name the key") {
    CHECK(config_error(R"({"concurency": 4})").find("c.json: \"concurency\": unknown key") == 0);
    CHECK(config_error(R"({"concurrency": "8"})") ==
          "c.json: \"concurrency\": expected an integer from 1 to 256, got \"8\"");
    CHECK(config_error(R"({"concurrency": 0})").find("\"concurrency\"") != std::string::npos);
    CHECK(config_error(R"({"plan": "gold"})") ==
          "c.json: \"plan\": expected one of free|pro|business, got \"gold\"");
    CHECK(config_error(R"({"wait": "yes"})").find("\"wait\": expected true or false") !=
          std::string::npos);
    CHECK(config_error(R"({"type": 3})").find("\"type\": expected a user type") !=
          std::string::npos);
    CHECK(config_error(R"({"type": 99, "action": "ssoCreate"})")
              .find("99 (None) is deprecated in Zoom's API") != std::string::npos);
    CHECK(config_error(R"({"columns": {"Mail": "e-mail"}})").find("\"columns\": \"Mail\"") !=
          std::string::npos);
    CHECK(config_error(R"({"client-secret": "x"})").find("environment only") != std::string::npos);
    CHECK(config_error("{ not json").find("c.json: not valid JSON") == 0);
    CHECK(config_error("[1,2]") == "c.json: expected a JSON object at the top");
}

TEST_CASE("the command line wins over the config file") {
    auto base = parse_config(R"({"plan": "free", "rate": 2, "columns": {"A": "email"}})", "c.json");
    settings cli;
    cli.plan_id = plan::business;
    cli.columns["B"] = field::first_name;
    overlay(base, cli);
    CHECK(base.plan_id == plan::business);
    CHECK(base.rate == 2);
    CHECK(base.columns.size() == 2);
}

TEST_CASE("resolve_limits: plan defaults - no daily cap for actions other than create") {
    settings s;
    auto l = resolve_limits(s);
    CHECK(l.plan_id == default_plan);
    CHECK(l.rate == limits_of(default_plan).requests_per_second);
    CHECK(l.daily_cap == limits_of(default_plan).daily_create_cap);
    s.plan_id = plan::free;
    s.daily_cap = 20;
    CHECK(resolve_limits(s).daily_cap == 20);
    s.action = create_action::auto_create;
    CHECK(resolve_limits(s).daily_cap == 0);
}

TEST_CASE("the shipped example config is valid and shows every option of the table") {
    std::vector<std::string> warnings;
    auto s = load_config(zprov::test::source_dir() + "/config/zprov.example.json",
                         [&warnings](const std::string& w) { warnings.push_back(w); });
    CHECK(warnings.empty());
    for (const auto& option : option_table())
        CHECK_MESSAGE(is_set(s, option), option.name);
    CHECK_FALSE(s.columns.empty());
}

TEST_CASE("config: numbers must be finite and in range - 1e400 is a config error") {
    CHECK(config_error(R"({"rate": 1e400})").find("c.json: unusable value") == 0);
    CHECK(config_error(R"({"rate": -1})") ==
          "c.json: \"rate\": expected a number from 0.01 to 1000, got -1");
    CHECK(config_error(R"({"rate": 0})").find("\"rate\"") != std::string::npos);
    CHECK(config_error(R"({"daily-cap": 1e400})").find("unusable value") != std::string::npos);
    CHECK(config_error(R"({"daily-cap": 99999999999999999999})").find("\"daily-cap\"") !=
          std::string::npos);
    CHECK(config_error(R"({"concurrency": 8.5})").find("expected an integer") != std::string::npos);
    CHECK(parse_config(R"({"rate": 0.5})", "c.json").rate == 0.5);
}

TEST_CASE("config: a key given twice is a warning naming it - the last value is used") {
    std::vector<std::string> warnings;
    auto collect = [&warnings](const std::string& w) { warnings.push_back(w); };
    auto s = parse_config(R"({"plan": "free", "rate": 2, "plan": "business",
                              "columns": {"Mail": "email", "Mail": "first_name"}})",
                          "c.json", collect);
    CHECK(s.plan_id == plan::business);
    CHECK(s.columns.at("Mail") == field::first_name);
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0] == "c.json: \"plan\" is given more than once; the last one is used");
    CHECK(warnings[1].find("\"Mail\" in \"columns\"") != std::string::npos);
    warnings.clear();
    parse_config(R"({"plan": "free", "columns": {"plan": "email"}})", "c.json", collect);
    CHECK(warnings.empty()); // the same name in another object is no repeat
}

TEST_CASE("config: an endless or huge file is refused with a clear message, not bad_alloc") {
    try {
        load_config("/dev/zero");
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::config);
        CHECK(std::string(e.what()).find("/dev/zero: larger than") == 0);
    }
}

TEST_CASE("settings: a daily cap above the plan's is accepted with a warning") {
    settings s;
    s.plan_id = plan::free;
    CHECK(setting_warnings(s).empty());
    s.daily_cap = limits_of(plan::free).daily_create_cap;
    CHECK(setting_warnings(s).empty());
    s.daily_cap = 100;
    auto w = setting_warnings(s);
    REQUIRE(w.size() == 1);
    CHECK(w[0].find("daily cap 100 is above the Free plan's 50") == 0);
    s.action = create_action::sso_create; // not daily-capped: the cap does not apply
    CHECK(setting_warnings(s).empty());
}

TEST_CASE("zoomgov switches both hosts, --base-url and --oauth-url still win") {
    auto gov = parse_config(R"({"zoomgov": true})", "c.json");
    apply_defaults(gov);
    CHECK(gov.base_url == "https://api.zoomgov.com/v2");
    CHECK(gov.oauth_url == "https://zoomgov.com/oauth/token");

    auto own =
        parse_config(R"({"zoomgov": true, "base-url": "https://127.0.0.1:8443/v2"})", "c.json");
    apply_defaults(own);
    CHECK(own.base_url == "https://127.0.0.1:8443/v2");
    CHECK(own.oauth_url == "https://zoomgov.com/oauth/token");

    settings plain;
    apply_defaults(plain);
    CHECK(plain.base_url == "https://api.zoom.us/v2");
    CHECK(plain.oauth_url == "https://zoom.us/oauth/token");
}
