#include "zprov/cli/help.hpp"

#include "support/process.hpp"
#include "zprov/base/exit_codes.hpp"
#include "zprov/cli/option_table.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/sheet/fields.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using namespace zprov;

namespace {
bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

std::string trim(std::string s) {
    while (!s.empty() && s.front() == ' ')
        s.erase(s.begin());
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

// The rows of the first Markdown table after `heading` in the README, as cells.
std::vector<std::vector<std::string>> readme_table(const std::string& heading) {
    std::istringstream in(test::slurp(zprov::test::source_dir() + "/README.md"));
    std::vector<std::vector<std::string>> rows;
    std::string line;
    bool under = false;
    while (std::getline(in, line)) {
        if (line.rfind("#", 0) == 0) {
            if (under && !rows.empty())
                break;
            under = line == heading;
            continue;
        }
        auto start = line.find_first_not_of(' ');
        if (!under || start == std::string::npos || line[start] != '|') {
            if (!rows.empty())
                break;
            continue;
        }
        // "\\|" is a '|' inside a cell.
        std::string unescaped;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const bool escaped_bar = line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|';
            unescaped += escaped_bar ? '\x01' : line[i];
            i += escaped_bar ? 1 : 0;
        }
        line = unescaped;
        std::vector<std::string> cells;
        std::istringstream cells_in(line.substr(start + 1));
        for (std::string cell; std::getline(cells_in, cell, '|');) {
            std::replace(cell.begin(), cell.end(), '\x01', '|');
            cells.push_back(trim(cell));
        }
        if (!cells.empty() && cells[0].rfind("---", 0) != 0)
            rows.push_back(cells);
    }
    if (!rows.empty())
        rows.erase(rows.begin()); // the header
    return rows;
}

} // namespace

TEST_CASE("help: run and validate footers answer credentials, journal, plans and exit codes") {
    auto run = run_footer();
    for (auto var :
         {"ZOOM_ACCESS_TOKEN", "ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"})
        CHECK_MESSAGE(has(run, var), var);
    CHECK(has(run, ".journal"));
    for (const auto& e : exit_code_table())
        CHECK(has(run, std::to_string(to_int(e.code)) + "  " + std::string(e.meaning)));
    for (const auto& p : plan_table())
        CHECK(has(run, std::string(p.name) + " (" + std::string(p.title) + ")"));
    auto validate = validate_footer();
    CHECK(has(validate, "needs no credentials"));
    for (auto code : {"0  every row is valid", "1  some rows are invalid", "64  ", "65  ", "78  "})
        CHECK_MESSAGE(has(validate, code), code);
    CHECK_FALSE(has(validate, "75  "));
}

TEST_CASE("help: the overview lists every column alias of the field table") {
    auto overview = overview_help();
    for (const auto& f : field_table())
        for (auto names : {f.aliases, f.preferred, f.fallback})
            for (auto alias : names)
                CHECK_MESSAGE(has(overview, alias), alias);
    CHECK(has(overview, "first_name: Preferred First Name, Preferred Name"));
}

TEST_CASE("README: the column aliases match the field table") {
    auto rows = readme_table("## The spreadsheet");
    REQUIRE(rows.size() == field_table().size());
    for (const auto& f : field_table()) {
        CAPTURE(f.name);
        auto row = std::find_if(rows.begin(), rows.end(), [&f](const auto& r) {
            return r[0].rfind(std::string(f.name), 0) == 0;
        });
        REQUIRE(row != rows.end());
        auto cell = (*row)[1];
        cell = cell.substr(0, std::min(cell.find(" —"), cell.find(" (")));
        CHECK(cell == alias_list(f));
    }
}

TEST_CASE("README: the exit codes match the exit code table") {
    auto rows = readme_table("## Exit codes");
    REQUIRE(rows.size() == exit_code_table().size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& e = exit_code_table()[i];
        CHECK(rows[i][0] == std::to_string(to_int(e.code)));
        // The README may say more, but says the same first.
        auto gist = std::string(e.meaning.substr(0, e.meaning.find_first_of("(:")));
        CHECK_MESSAGE(rows[i][1].rfind(trim(gist), 0) == 0, rows[i][1]);
    }
}

TEST_CASE("README: the options table matches the option table") {
    auto rows = readme_table("## Options");
    REQUIRE(rows.size() == option_table().size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& o = option_table()[i];
        CAPTURE(o.name);
        CHECK(rows[i][0] == "`--" + o.name + "`");
        CHECK(rows[i][1] == (o.value_name.empty() ? "" : "`" + o.value_name + "`"));
        std::string commands = "run";
        if ((o.commands & for_validate) != 0)
            commands += ", validate";
        if ((o.commands & for_status) != 0)
            commands += ", status";
        CHECK(rows[i][2] == commands);
        if (!o.default_value.empty() && o.kind != value_kind::flag)
            CHECK(rows[i][3] == "`" + o.default_value + "`");
    }
}
