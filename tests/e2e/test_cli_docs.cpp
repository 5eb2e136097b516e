// The man page and the bash completion that the built `zprov` writes for the install: every
// option of the option table is in both, the choices complete, and groff takes the page.
#include "zprov/cli/docs.hpp"

#include "support/process.hpp"
#include "zprov/cli/option_table.hpp"

#include <doctest/doctest.h>

#include <string>

using zprov::test::run_process;
using zprov::test::temp_dir;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();

std::string generated(std::string_view flag) {
    auto r = run_process({zprov_bin, std::string(flag)});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

// What the completion offers for the words typed so far (the last one is being completed).
std::string complete(const temp_dir& dir, const std::string& words) {
    auto script = dir.file("completion.bash", generated(zprov::bash_completion_flag));
    auto r = run_process({"/bin/bash", "-c",
                          "source '" + script + "'; COMP_WORDS=(" + words +
                              "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _zprov; "
                              "printf '%s\\n' \"${COMPREPLY[@]}\""});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("cli docs: the man page has every command, option and exit code") {
    auto page = generated(zprov::man_page_flag);
    CHECK(page.rfind(".\\\"", 0) == 0);
    CHECK(has(page, ".TH ZPROV 1"));
    for (std::string command : {"run", "validate", "status", "report"})
        CHECK(has(page, ".SS \"zprov " + command + "\""));
    for (const auto& o : zprov::option_table()) {
        CAPTURE(o.name);
        std::string escaped;
        for (char c : o.name)
            escaped += c == '-' ? std::string("\\-") : std::string(1, c);
        CHECK(has(page, "\\fB\\-\\-" + escaped + "\\fR"));
    }
    CHECK(has(page, ".SH EXIT STATUS"));
    CHECK(has(page, "  77  "));
}

TEST_CASE("cli docs: groff formats the man page without warnings") {
    temp_dir dir;
    auto page = dir.file("zprov.1", generated(zprov::man_page_flag));
    auto r = run_process({"/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", page});
    CHECK(r.exit_code == 0);
    CHECK(r.err == "");
}

TEST_CASE("cli docs: bash completes commands, options and their choices") {
    temp_dir dir;
    CHECK(complete(dir, "zprov ''") == "validate\nrun\nstatus\nreport\n--help\n--version\n");
    CHECK(complete(dir, "zprov va") == "validate\n");
    auto run_options = complete(dir, "zprov run --");
    for (const auto& o : zprov::option_table())
        if (o.commands & zprov::for_run)
            CHECK_MESSAGE(has(run_options, "--" + o.name + "\n"), o.name);
    CHECK(has(run_options, "--trace\n"));
    CHECK(complete(dir, "zprov run u.csv --plan ''") ==
          "free\npro\nbusiness\nbusiness+\nenterprise\n");
    CHECK(complete(dir, "zprov validate u.csv --action a") == "autoCreate\n");
    CHECK(complete(dir, "zprov run u.csv --progress ''") == "auto\nalways\nnever\n");
    CHECK(complete(dir, "zprov run u.csv --body m") == "multipart\n");
    CHECK(complete(dir, "zprov run u.csv --rate ''") == "\n"); // nothing offered
    // Files where a file goes: the journal, and the command's own argument.
    dir.file("sheet.csv", "");
    CHECK(complete(dir, "zprov run --journal '" + dir.path() + "/sh'") ==
          dir.path() + "/sheet.csv\n");
    CHECK(complete(dir, "zprov status '" + dir.path() + "/sh'") == dir.path() + "/sheet.csv\n");
    CHECK(complete(dir, "zprov status --") == "--help\n--json\n--stale-after\n");
}

TEST_SUITE_END();
