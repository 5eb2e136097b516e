// The journal and the output files as the `zprov` binary treats them: what is not a journal
// is refused untouched, outputs never overwrite the journal, a full disk stops the run with
// exit 74 and a journal that the next run resumes.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

using namespace zprov::test;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();

unsigned mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// `zprov run CSV --journal J` where nothing can be sent (port 9 on 127.0.0.1).
process_result run_with_journal(const std::string& csv, const std::string& journal) {
    ::setenv("ZOOM_ACCESS_TOKEN", run_env::token, 1);
    return run_process({zprov_bin, "run", csv, "--journal", journal, "--base-url",
                        "https://127.0.0.1:9/v2", "--progress", "never"});
}
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("cli journal: a file that is not a journal is refused untouched with exit 78") {
    temp_dir dir;
    auto csv = dir.file("users.csv", users_csv(2, "refuse"));
    auto key = dir.file("id.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB user@host\n");
    ::chmod(key.c_str(), 0644);
    auto header_only = dir.file("header.csv", "Email,First Name,Last Name\n");
    ::chmod(header_only.c_str(), 0644);
    for (const auto& path : {key, header_only}) {
        const auto before = slurp(path);
        auto r = run_with_journal(csv, path);
        CHECK(r.exit_code == 78);
        CHECK_MESSAGE(r.err.find(path) != std::string::npos, r.err);
        CHECK(r.err.find("not a zprov journal") != std::string::npos);
        CHECK(slurp(path) == before);
        CHECK(mode_of(path) == 0644);
    }
    auto fifo = dir.path() + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    auto r = run_with_journal(csv, fifo);
    CHECK(r.exit_code == 78);
    CHECK(r.err.find("not a regular file") != std::string::npos);
    CHECK(mode_of(fifo) == 0644);
}

TEST_CASE("cli journal: status --json of a journal with invalid UTF-8 in its text is still JSON") {
    // Found by fuzz_journal: the text of status --json threw on a byte that is not UTF-8.
    const auto journal = source_dir() + "/tests/fuzz/journal/status-invalid-utf8.journal";
    auto r = run_process({zprov_bin, "status", journal, "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    CHECK_FALSE(doc.is_discarded());
    CHECK(doc.contains("created"));
}

TEST_CASE("cli journal: status and report refuse an endless device instead of reading it") {
    for (const auto& command : {"status", "report"}) {
        auto r = run_process({zprov_bin, command, "/dev/zero"}, "", std::chrono::seconds(20));
        CHECK(r.exit_code == 78);
        CHECK_MESSAGE(r.err.find("/dev/zero: is not a regular file") != std::string::npos, r.err);
    }
}

TEST_CASE("cli journal: report and --summary-json never overwrite the journal or the CSV, "
          "report -o is 0600" *
          doctest::test_suite("zoomsim")) {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(3, "out"));
    const auto csv_text = slurp(csv);
    const auto journal = csv + ".journal";
    auto first = env.zprov(sim, csv, {"--plan", "business"});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    const auto journal_text = slurp(journal);

    auto same = run_process({zprov_bin, "report", journal, "-o", journal});
    CHECK(same.exit_code == 78);
    CHECK(same.err.find("same file") != std::string::npos);
    CHECK(slurp(journal) == journal_text);

    // The summary is refused (the run itself went on, exit 74); journal and CSV are intact.
    for (const auto& target : {journal, csv}) {
        auto r = env.zprov(sim, csv, {"--plan", "business", "--summary-json", target});
        CHECK(r.exit_code == 74);
        CHECK_MESSAGE(r.err.find("cannot write the summary") != std::string::npos, r.err);
    }
    CHECK(slurp(csv) == csv_text);
    CHECK(journal_status(journal)["created"] == 3);

    auto out = env.dir.path() + "/report.csv";
    auto report = run_process({zprov_bin, "report", journal, "-o", out});
    CHECK(report.exit_code == 0);
    CHECK(slurp(out).find("user0@out.example.com,created,") != std::string::npos);
    CHECK(mode_of(out) == 0600);
}

TEST_CASE("cli journal: a disk that fills mid-run stops with exit 74, the journal stays whole and "
          "the next run finishes every row exactly once" *
          doctest::test_suite("zoomsim")) {
    if (::access("/usr/bin/prlimit", X_OK) != 0) {
        MESSAGE("skipped: no /usr/bin/prlimit (util-linux)");
        return;
    }
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(30, "full"));
    const auto journal = csv + ".journal";
    // A file-size limit of 3,000 bytes: room for the header, the run record and a few rows.
    auto argv = env.argv(sim, csv, {"--plan", "business", "--concurrency", "2"});
    argv.insert(argv.begin(), {"/usr/bin/prlimit", "--fsize=3000"});
    auto full = run_process(argv);
    CHECK_MESSAGE(full.exit_code == 74, full.err);
    CHECK(full.err.find("cannot write the journal") != std::string::npos);
    const auto text = slurp(journal);
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    CHECK(text.size() <= 3000);
    auto status = journal_status(journal); // replays: no torn or damaged record
    CHECK(status["torn_tail"] == false);
    CHECK(status["created"].get<int>() < 30);

    auto again = env.zprov(sim, csv, {"--plan", "business"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    auto stats = sim.stats();
    for (int i = 0; i < 30; ++i)
        CHECK(created_count(stats, "user" + std::to_string(i) + "@full.example.com") == 1);
    auto after = journal_status(journal);
    CHECK(after["created"].get<int>() + after["exists"].get<int>() == 30);
    CHECK(after["in_doubt"] == 0);
}

TEST_CASE("cli journal: a journal of invalid rows with long cells replays in run, status and "
          "report") {
    // An HR export with a long comment column (an ignored column) and bad addresses: each
    // invalid record keeps the row's cells, over the decoder's 16 KiB buffer.
    temp_dir dir;
    std::string text = "Email,First Name,Last Name,Comment\n";
    for (int i = 0; i < 25; ++i)
        text += "bad" + std::to_string(i) + "-at-example.com,A,B," + std::string(17000, 'c') + "\n";
    auto csv = dir.file("long.csv", text);
    const auto journal = csv + ".journal";
    for (int run = 0; run < 2; ++run) {
        auto r = run_with_journal(csv, journal);
        CHECK_MESSAGE(r.exit_code == 1, r.err);
        CHECK(r.err.find("internal error") == std::string::npos);
    }
    auto status = run_process({zprov_bin, "status", journal, "--json"});
    REQUIRE_MESSAGE(status.exit_code == 0, status.err);
    CHECK(nlohmann::json::parse(status.out)["invalid"] == 25);
    auto report = run_process({zprov_bin, "report", journal, "--failed-only"});
    REQUIRE_MESSAGE(report.exit_code == 0, report.err);
    CHECK(occurrences(report.out, std::string(17000, 'c')) == 25);
}

TEST_CASE("cli journal: --journal '' is a usage error that says so") {
    temp_dir dir;
    auto csv = dir.file("users.csv", users_csv(1, "nojournal"));
    auto r = run_with_journal(csv, "");
    CHECK_MESSAGE(r.exit_code == 64, r.err);
    CHECK(r.err.find("--journal") != std::string::npos);
    CHECK(r.err.find("empty") != std::string::npos);
    CHECK(r.err.find("standard input") == std::string::npos);
}

TEST_CASE("cli journal: a summary that cannot be written ends the run with exit 74, its results "
          "stay journaled" *
          doctest::test_suite("zoomsim")) {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    int n = 0;
    for (const char* target : {"", "/dev/full"}) {
        auto csv = env.dir.file("users" + std::to_string(n) + ".csv",
                                users_csv(2, "summary" + std::to_string(n)));
        ++n;
        auto r = env.zprov(sim, csv, {"--plan", "business", "--summary-json", target});
        CHECK_MESSAGE(r.exit_code == 74, r.err);
        CHECK(r.err.find("cannot write the summary") != std::string::npos);
        CHECK(journal_status(csv + ".journal")["created"] == 2);
    }
}

TEST_SUITE_END();
