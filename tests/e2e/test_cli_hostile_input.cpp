// zprov under hostile conditions on its own side: hang-ups and closed pipes, a memory that
// must not keep secrets, and spreadsheets that are pipes, hold NUL bytes, formula guards or
// secret columns.
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>

#include <csignal>

using namespace zprov::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {
bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("hostile: SIGHUP is a graceful stop: the request in flight is answered and journaled") {
    temp_dir dir;
    auto slow = zoom_created("id");
    slow["delay_ms"] = 1500;
    scripted_server server(dir, script_creates(slow));
    auto csv = dir.file("users.csv", users_csv(3, "hangup"));
    background_process p(argv_against(server.base_url(), csv, {"--concurrency", "1"}));
    REQUIRE(wait_until([&] { return posts_received(server) == 1; }, 10s));
    p.send_signal(SIGHUP);
    auto code = p.wait(15s);
    REQUIRE(code.has_value());
    CHECK_MESSAGE(*code == 75, p.err());
    CHECK(has(p.err(), "hung up"));
    auto status = journal_status(csv + ".journal");
    CHECK(status["in_doubt"] == 0);
    CHECK(status["created"] == 1);
}

TEST_CASE("hostile: a closed pipe on the output stops the output, not the run") {
    temp_dir dir;
    auto slow = zoom_created("id");
    slow["delay_ms"] = 200;
    scripted_server server(dir, script_creates(slow));
    auto csv = dir.file("users.csv", users_csv(4, "pipe"));
    const auto rc = dir.path() + "/rc";
    ::setenv("ZOOM_ACCESS_TOKEN", "scripted-token", 1);
    // `head -c 1` exits after the first byte; every later line meets a closed pipe. SIGPIPE
    // is put back to its default first: the test runner ignores it, and children inherit that.
    const std::string default_sigpipe =
        "/usr/bin/python3 -c 'import os, signal, sys; signal.signal(signal.SIGPIPE, "
        "signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])'";
    auto r = run_process({"/bin/sh", "-c",
                          "{ " + default_sigpipe +
                              " \"$0\" run \"$1\" --base-url \"$2\" --progress never -v "
                              "--concurrency 1; echo $? > \"$3\"; } 2>&1 | head -c 1 >/dev/null",
                          zprov::test::zprov_program(), csv, server.base_url(), rc});
    REQUIRE(wait_until([&] { return !slurp(rc).empty(); }, 10s));
    CHECK(slurp(rc) == "0\n");
    auto status = journal_status(csv + ".journal");
    CHECK(status["created"] == 4);
    CHECK(status["in_doubt"] == 0);
}

TEST_CASE("hostile: a running zprov keeps no credential in its environment and dumps no core") {
    temp_dir dir;
    auto slow = zoom_created("id");
    slow["delay_ms"] = 3000;
    scripted_server server(dir, script_creates(slow));
    auto csv = dir.file("users.csv", users_csv(1, "core"));
    const std::string token = "token-in-memory-7c1e";
    ::setenv("ZOOM_ACCESS_TOKEN", token.c_str(), 1);
    background_process p({zprov::test::zprov_program(), "run", csv, "--base-url", server.base_url(),
                          "--progress", "never"});
    REQUIRE(wait_until([&] { return posts_received(server) == 1; }, 10s));
    const auto proc = "/proc/" + std::to_string(p.pid());
    CHECK_FALSE(has(slurp(proc + "/environ"), token));
    const auto limits = slurp(proc + "/limits");
    auto line = limits.substr(limits.find("Max core file size"));
    line = line.substr(0, line.find('\n'));
    CHECK_MESSAGE(line.find_first_of("123456789") == std::string::npos, line);
    CHECK(p.wait(15s) == 0);
}

TEST_CASE("hostile: a CSV that is a pipe is read once, its row count is unknown") {
    temp_dir dir;
    scripted_server server(dir, script_creates(zoom_created("id")));
    ::setenv("ZOOM_ACCESS_TOKEN", "scripted-token", 1);
    auto r =
        run_process({zprov::test::zprov_program(), "run", "/dev/stdin", "--journal",
                     dir.path() + "/j", "--base-url", server.base_url(), "--progress", "never"},
                    users_csv(3, "fifo"));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(has(r.err, "?"));
    CHECK(posts_received(server) == 3);
}

TEST_CASE("hostile: a NUL byte in the CSV stops with exit 65 naming the line") {
    temp_dir dir;
    std::string text = users_csv(2, "nul");
    text.insert(text.rfind("@nul"), 1, '\0');
    auto csv = dir.file("users.csv", text);
    auto r = run_process({zprov::test::zprov_program(), "validate", csv});
    CHECK_MESSAGE(r.exit_code == 65, r.err);
    CHECK(has(r.err, "line 3"));
    CHECK(has(r.err, "NUL"));
}

TEST_CASE("hostile: report --failed-only fed back sends the address without the formula guard, "
          "and secret columns are never journaled or reported") {
    temp_dir dir;
    scripted_server server(dir, script_creates(zoom_error(400, 1000, "Rejected for the test")));
    auto csv = dir.file("users.csv", "Email,First Name,Last Name,Temp Password,Initial PIN\n"
                                     "-ann@example.com,Ann,Lee,hunter2-tmp,98765401\n"
                                     "not-an-address,Bob,Kim,bob-tmp-pw,54320987\n");
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    auto journal = slurp(csv + ".journal");
    for (const auto* secret : {"hunter2-tmp", "98765401", "bob-tmp-pw", "54320987"})
        CHECK_FALSE(has(journal, secret));

    auto fix = dir.path() + "/fix.csv";
    auto report = run_process(
        {zprov::test::zprov_program(), "report", csv + ".journal", "--failed-only", "-o", fix});
    REQUIRE_MESSAGE(report.exit_code == 0, report.err);
    REQUIRE(has(slurp(fix), "'-ann@example.com"));
    CHECK_FALSE(has(slurp(fix), "hunter2-tmp"));

    scripted_server again(dir, script_creates(zoom_created("u")));
    r = run_against(again.base_url(), fix, {"--concurrency", "1"});
    auto sent = again.requests();
    REQUIRE(!sent.empty());
    CHECK(has(sent[0]["body"].get<std::string>(), "\"-ann@example.com\""));
    CHECK_FALSE(has(sent[0]["body"].get<std::string>(), "'-ann"));
}

TEST_SUITE_END();
