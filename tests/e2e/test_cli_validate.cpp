// Runs the built `zprov validate` on files, as an administrator would, and checks exit
// codes, the human output and --json.
#include "support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using zprov::test::run_process;
using zprov::test::temp_dir;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();
const std::string samples = zprov::test::source_dir() + "/samples";

zprov::test::process_result validate(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {zprov_bin, "validate"});
    return run_process(args, input);
}
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("cli: the bundled sample has a few deliberate errors - --json matches the contract") {
    auto r = validate({samples + "/users.csv", "--json"});
    CHECK(r.exit_code == 1);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["rows"].get<int>() >= 100);
    CHECK(doc["valid"].get<int>() + doc["invalid"].get<int>() == doc["rows"].get<int>());
    CHECK(doc["invalid"].get<int>() > 0);
    REQUIRE(doc["errors"].is_array());
    for (const auto& e : doc["errors"]) {
        CHECK(e["line"].get<int>() > 1);
        CHECK_FALSE(e["field"].get<std::string>().empty());
        CHECK_FALSE(e["reason"].get<std::string>().empty());
    }
    CHECK(doc["days_needed"].get<int>() == 1);
}

TEST_CASE("cli: a clean file exits 0 and forecasts UTC days at the plan's cap") {
    temp_dir dir;
    std::string csv = "Email,First Name,Last Name\n";
    for (int i = 0; i < 3200; ++i)
        csv += "user" + std::to_string(i) + "@example.com,User,Number" + std::to_string(i) + "\n";
    auto path = dir.file("clean.csv", csv);

    auto human = validate({path, "--plan", "pro"});
    CHECK(human.exit_code == 0);
    CHECK(human.out.find("3,200 rows, 3,200 valid, 0 invalid") != std::string::npos);
    CHECK(human.out.find("3 UTC days") != std::string::npos);

    auto json = validate({path, "--plan", "pro", "--json"});
    CHECK(json.exit_code == 0);
    auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["rows"] == 3200);
    CHECK(doc["valid"] == 3200);
    CHECK(doc["invalid"] == 0);
    CHECK(doc["errors"].empty());
    CHECK(doc["days_needed"] == 3);
    CHECK(nlohmann::json::parse(
              validate({path, "--plan", "business", "--json"}).out)["days_needed"] == 1);
    CHECK(nlohmann::json::parse(validate({path, "--plan", "free", "--json"}).out)["days_needed"] ==
          64);
}

TEST_CASE("cli: validate counts the group and profile steps' requests and the time they add") {
    temp_dir dir;
    std::string csv = "Email,First Name,Last Name,Department,User Group\n";
    for (int i = 0; i < 40; ++i)
        csv += "user" + std::to_string(i) + "@example.com,Ann,Lee," + (i < 30 ? "Ops" : "") + "," +
               (i % 2 ? "Sales" : "") + "\n";
    auto path = dir.file("hr.csv", csv);
    // action create: 20 groups now, 30 profiles later; one GET /groups.
    auto doc = nlohmann::json::parse(validate({path, "--plan", "free", "--json"}).out);
    CHECK(doc["group_lists"] == 1);
    CHECK(doc["patches_now"] == 20);
    CHECK(doc["patches_later"] == 30);
    CHECK(doc["step_seconds_now"] == 6); // 20 / 4 + 1 / 2, rounded up
    CHECK(doc["step_seconds_later"] == 8);
    auto human = validate({path, "--plan", "free"});
    CHECK(human.out.find("Group and profile steps: 1 GET /groups (Medium, 2/s) and 20 PATCH "
                         "/users/{id} (Light, 4/s, shared with the creates) add about 6 s; 30 "
                         "profiles follow by PATCH in a later run") != std::string::npos);
    // autoCreate: one PATCH for each row with a group or a profile.
    auto active = nlohmann::json::parse(
        validate({path, "--plan", "free", "--action", "autoCreate", "--json"}).out);
    CHECK(active["patches_now"] == 35);
    CHECK(active["patches_later"] == 0);
    // A sheet without those columns sends nothing more and says nothing.
    auto plain = dir.file("plain.csv", "Email,First Name,Last Name\na@example.com,A,B\n");
    CHECK(nlohmann::json::parse(validate({plain, "--json"}).out)["patches_now"] == 0);
    CHECK(validate({plain}).out.find("Group and profile") == std::string::npos);
}

TEST_CASE("cli: invalid rows are listed as 'line N: field: reason' and exit 1") {
    temp_dir dir;
    auto path = dir.file("bad.csv", "Email,First Name\n"
                                    "ok@example.com,Ann\n"
                                    "oops,Bob\n"
                                    "ok2@example.com," +
                                        std::string(65, 'x') +
                                        "\n"
                                        "OK@example.com,Dup\n");
    auto r = validate({path});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("line 3: email: no '@'") != std::string::npos);
    CHECK(r.out.find("line 4: first_name: longer than 64 characters") != std::string::npos);
    CHECK(r.out.find("line 5: email: repeats OK@example.com from line 2") != std::string::npos);
    CHECK(r.out.find("4 rows, 1 valid, 3 invalid") != std::string::npos);
}

TEST_CASE("cli: unusable files exit 65 naming the file and line - nothing on stdout") {
    temp_dir dir;
    auto no_email = dir.file("noemail.csv", "Name,Phone\nAnn,1\n");
    auto r = validate({no_email});
    CHECK(r.exit_code == 65);
    CHECK(r.err.find(no_email + ": line 1: no email column") != std::string::npos);
    CHECK(r.out.empty());

    auto empty = dir.file("empty.csv", "");
    r = validate({empty, "--json"});
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("empty") != std::string::npos);

    auto newline = dir.file("newline.csv", "Email,Note\na@example.com,\"x\ny\"\n");
    r = validate({newline});
    CHECK(r.exit_code == 65);
    CHECK(r.err.find(newline + ": line 2:") != std::string::npos);

    r = validate({dir.path() + "/missing.csv"});
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("missing.csv: cannot open") != std::string::npos);
}

TEST_CASE("cli: usage errors exit 64 - help explains options and exit codes") {
    CHECK(validate({}).exit_code == 64);
    CHECK(validate({"x.csv", "--plan", "gold"}).exit_code == 64);
    CHECK(validate({"x.csv", "--bogus"}).exit_code == 64);
    CHECK(run_process({zprov_bin}).exit_code == 64);
    CHECK(run_process({zprov_bin, "frobnicate"}).exit_code == 64);

    auto help = run_process({zprov_bin, "--help"});
    CHECK(help.exit_code == 0);
    for (auto text : {"validate", "Exit codes", "65", "75", "77", "78"})
        CHECK_MESSAGE(help.out.find(text) != std::string::npos, text);
    auto vhelp = validate({"--help"});
    CHECK(vhelp.exit_code == 0);
    for (auto text : {"--plan", "--action", "--type", "--json", "--config", "65"})
        CHECK_MESSAGE(vhelp.out.find(text) != std::string::npos, text);
}

TEST_CASE("cli: --type 99 is refused as deprecated - standard input with '-'") {
    temp_dir dir;
    auto path = dir.file("u.csv", "Email\na@example.com\n");
    CHECK(validate({path, "--type", "99"}).exit_code == 64);
    auto sso = validate({path, "--type", "99", "--action", "ssoCreate"});
    CHECK(sso.exit_code == 64);
    CHECK(sso.err.find("99 (None) is deprecated in Zoom's API") != std::string::npos);
    auto r = validate({"-", "--json"}, "Email\na@example.com\nb@example.com\n");
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["rows"] == 2);
}

TEST_CASE("cli: a config file maps columns - its errors exit 78 naming the key") {
    temp_dir dir;
    auto csv = dir.file("u.csv", "Corporate Mail,Name\na@example.com,Ann\n");
    auto good =
        dir.file("good.json", R"({"columns": {"Corporate Mail": "email"}, "plan": "free"})");
    auto r = validate({csv, "--config", good, "--json"});
    CHECK(r.exit_code == 0);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["valid"] == 1);
    CHECK(doc["plan"] == "free");
    CHECK(nlohmann::json::parse(
              validate({csv, "--config", good, "--plan", "business", "--json"}).out)["plan"] ==
          "business");

    auto bad = dir.file("bad.json", R"({"concurrency": "lots"})");
    r = validate({csv, "--config", bad});
    CHECK(r.exit_code == 78);
    CHECK(r.err.find("\"concurrency\"") != std::string::npos);
    CHECK(validate({csv, "--config", dir.path() + "/none.json"}).exit_code == 78);
}

TEST_SUITE_END();
