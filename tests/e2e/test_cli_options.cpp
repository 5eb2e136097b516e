// Runs the built `zprov` with every option of the option table, from the command line and
// from a config file, and with the values the hardening sweep found wanting.
#include "support/process.hpp"
#include "zprov/cli/option_table.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using zprov::test::run_process;
using zprov::test::temp_dir;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();

zprov::test::process_result zprov_cmd(std::vector<std::string> args) {
    args.insert(args.begin(), zprov_bin);
    return run_process(args, "", std::chrono::seconds(20));
}

// A value each option accepts, as typed and as a config file holds it.
std::pair<std::string, nlohmann::json> sample(const zprov::option_spec& o, const temp_dir& dir) {
    using zprov::value_kind;
    if (o.name == "journal" || o.name == "summary-json" || o.name == "ca-file")
        return {dir.path() + "/" + o.name, dir.path() + "/" + o.name};
    if (o.name == "proxy")
        return {"http://127.0.0.1:9", "http://127.0.0.1:9"};
    if (o.name == "notify") // repeatable: a config file may give a list
        return {"https://127.0.0.1:9/hook",
                nlohmann::json::array({"https://127.0.0.1:9/a", "https://127.0.0.1:9/b"})};
    if (o.name == "ping")
        return {"https://127.0.0.1:9/ping", "https://127.0.0.1:9/ping"};
    if (o.name == "base-url" || o.name == "oauth-url")
        return {o.default_value, o.default_value};
    switch (o.kind) {
    case value_kind::flag:
        return {"", true};
    case value_kind::integer:
    case value_kind::number:
        return {"2", 2};
    case value_kind::choice:
        if (std::holds_alternative<zprov::setting_of<int>>(o.member))
            return {o.choices.front(), std::stoi(o.choices.front())};
        return {o.choices.front(), o.choices.front()};
    case value_kind::text:
        break;
    }
    return {"x", "x"};
}
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("cli options: every option of the table works from the command line and the config "
          "file") {
    temp_dir dir;
    auto csv = dir.file("u.csv", "Email\na@example.com\n");
    for (const auto& o : zprov::option_table()) {
        CAPTURE(o.name);
        auto [text, json] = sample(o, dir);
        std::vector<std::string> cli{"--" + o.name};
        if (o.kind != zprov::value_kind::flag)
            cli.push_back(text);
        auto config = dir.file(o.name + ".json", nlohmann::json{{o.name, json}}.dump());
        for (std::string command : {"validate", "run"}) {
            if (command == "validate" && (o.commands & zprov::for_validate) == 0)
                continue;
            std::vector<std::string> base{command, csv};
            if (command == "run")
                base.push_back("--dry-run"); // checks everything, sends nothing
            auto with_cli = base;
            with_cli.insert(with_cli.end(), cli.begin(), cli.end());
            auto r = zprov_cmd(with_cli);
            CHECK_MESSAGE(r.exit_code == 0, command, " ", r.err);
            auto with_config = base;
            with_config.insert(with_config.end(), {"--config", config});
            r = zprov_cmd(with_config);
            CHECK_MESSAGE(r.exit_code == 0, command, " ", r.err);
        }
        auto help = zprov_cmd({"run", "--help"});
        CHECK(help.out.find("--" + o.name) != std::string::npos);
    }
}

TEST_CASE("cli options: --rate nan, inf and negatives are usage errors, in a config, 78") {
    temp_dir dir;
    auto csv = dir.file("u.csv", "Email\na@example.com\n");
    for (auto bad : {"nan", "inf", "-1", "0", "1e400", "1001"}) {
        CAPTURE(bad);
        for (std::string command : {"validate", "run"}) {
            std::vector<std::string> args{command, csv, "--rate", bad};
            if (command == "run")
                args.push_back("--dry-run");
            auto r = zprov_cmd(args);
            CHECK(r.exit_code == 64);
            CHECK(r.err.find("--rate: expected a number from 0.01 to 1000") != std::string::npos);
        }
    }
    CHECK(zprov_cmd({"validate", csv, "--daily-cap", "1e400"}).exit_code == 64);
    CHECK(zprov_cmd({"run", csv, "--dry-run", "--concurrency", "nan"}).exit_code == 64);

    for (auto bad : {"1e400", "-1", "1e308"}) {
        CAPTURE(bad);
        auto config = dir.file("c.json", std::string(R"({"rate": )") + bad + "}");
        auto r = zprov_cmd({"validate", csv, "--config", config});
        CHECK(r.exit_code == 78);
        CHECK(r.err.find("internal error") == std::string::npos);
        CHECK(r.err.find(config) != std::string::npos);
    }
}

TEST_CASE("cli options: config warnings, endless files and a daily cap above the plan's") {
    temp_dir dir;
    auto csv = dir.file("u.csv", "Email\na@example.com\n");
    auto twice = dir.file("twice.json", R"({"plan": "free", "plan": "business"})");
    auto r = zprov_cmd({"validate", csv, "--config", twice, "--json"});
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["plan"] == "business");
    CHECK(r.err.find("warning: " + twice + ": \"plan\" is given more than once") !=
          std::string::npos);

    r = zprov_cmd({"validate", csv, "--config", "/dev/zero"});
    CHECK(r.exit_code == 78);
    CHECK(r.err.find("/dev/zero: larger than 1024 KiB") != std::string::npos);

    r = zprov_cmd({"validate", csv, "--plan", "pro", "--daily-cap", "2000", "--json"});
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["daily_cap"] == 2000);
    CHECK(r.err.find("warning: daily cap 2000 is above the Pro plan's 1500") != std::string::npos);
    CHECK(zprov_cmd({"validate", csv, "--plan", "pro", "--daily-cap", "1500"}).err.empty());
}

TEST_CASE("cli options: business+ is accepted for --plan on both sides") {
    temp_dir dir;
    auto csv = dir.file("u.csv", "Email\na@example.com\n");
    auto r = zprov_cmd({"validate", csv, "--plan", "business+", "--json"});
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["plan"] == "business");
    auto config = dir.file("c.json", R"({"plan": "business+"})");
    r = zprov_cmd({"validate", csv, "--config", config, "--json"});
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["plan"] == "business");
    CHECK(zprov_cmd({"validate", csv, "--plan", "gold"}).exit_code == 64);
}

TEST_SUITE_END();
