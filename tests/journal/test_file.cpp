#include "zprov/journal/file.hpp"

#include "support/process.hpp"
#include "zprov/base/exit_codes.hpp"
#include "zprov/journal/records.hpp"
#include "zprov/journal/replay.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace zprov;
using zprov::test::slurp;

namespace {
auto ignore = [](const std::string&) {};

unsigned mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// Opening `path` as a journal is refused with exit 78 and a message naming it; the file is
// left as it was, mode included.
void check_refused_untouched(const std::string& path, bool regular = true) {
    const auto before = regular ? slurp(path) : std::string(); // a FIFO would block
    const auto mode = mode_of(path);
    for (int writer = 0; writer < 2; ++writer) {
        try {
            if (writer)
                journal_file::open_for_append(path, ignore);
            else
                journal_file::open_existing(path);
            FAIL("not refused: " << path);
        } catch (const fatal_error& e) {
            CHECK(e.code() == exit_code::config);
            CHECK(std::string(e.what()).find(path) != std::string::npos);
        }
    }
    if (regular)
        CHECK(slurp(path) == before);
    CHECK(mode_of(path) == mode);
}

intent_record intent(const std::string& email) {
    return {"2026-11-28T10:00:00Z", email, 2, "2026-11-28", create_action::create, 1};
}
} // namespace

TEST_CASE("journal file: a file that is not a journal is refused untouched") {
    test::temp_dir dir;
    auto key = dir.file("id.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB user@host\n");
    ::chmod(key.c_str(), 0644);
    check_refused_untouched(key);
    auto no_newline = dir.file("note.txt", "remember the milk");
    ::chmod(no_newline.c_str(), 0644);
    check_refused_untouched(no_newline);
    check_refused_untouched(dir.file("users.csv", "Email,First Name,Last Name\r\n"));
    check_refused_untouched(dir.file("other.json", "{\"type\":\"service_account\"}\n"));
    check_refused_untouched(dir.file("braces.txt", std::string(100000, '{')));
}

TEST_CASE("journal file: anything but a regular file is refused untouched") {
    test::temp_dir dir;
    auto fifo = dir.path() + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    check_refused_untouched(fifo, false);
    CHECK(mode_of(fifo) == 0644);
    CHECK_THROWS_AS(journal_file::open_existing("/dev/null"), fatal_error);
    CHECK_THROWS_AS(journal_file::open_existing("/dev/zero"), fatal_error);
    CHECK_THROWS_AS(journal_file::open_existing(dir.path()), fatal_error);
    // Without root the device cannot be opened for writing; with it, it is refused: either
    // way its mode stays.
    auto null_mode = mode_of("/dev/null");
    CHECK_THROWS_AS(journal_file::open_for_append("/dev/null", ignore), fatal_error);
    CHECK(mode_of("/dev/null") == null_mode);
}

TEST_CASE("journal file: a new or empty file becomes a journal with a header, mode 0600") {
    test::temp_dir dir;
    auto fresh = dir.path() + "/new.journal";
    {
        auto f = journal_file::open_for_append(fresh, ignore);
        CHECK(f.kind() == journal_kind::current);
    }
    CHECK(slurp(fresh).starts_with(journal_format::header_prefix));
    CHECK(mode_of(fresh) == 0600);

    auto empty = dir.file("empty.journal", "");
    ::chmod(empty.c_str(), 0644);
    std::vector<std::string> warnings;
    journal_file::open_for_append(empty, [&](const std::string& m) { warnings.push_back(m); });
    CHECK(mode_of(empty) == 0600);
    CHECK(warnings.size() == 1);
    CHECK(journal_file::open_existing(empty).kind() == journal_kind::current);

    // A header torn as the journal was created: started again.
    auto torn = dir.file("torn.journal", std::string(journal_format::header_prefix).substr(0, 20));
    journal_file::open_for_append(torn, ignore);
    CHECK(decode(slurp(torn)));
}

TEST_CASE("journal file: format-1 journals are accepted, a later format is refused") {
    test::temp_dir dir;
    auto old = dir.file("old.journal", encode(intent("a@x.com")));
    ::chmod(old.c_str(), 0644);
    std::vector<std::string> warnings;
    {
        auto f = journal_file::open_for_append(
            old, [&](const std::string& m) { warnings.push_back(m); });
        CHECK(f.kind() == journal_kind::legacy);
    }
    CHECK(mode_of(old) == 0600); // a journal: its mode is fixed
    CHECK(warnings.size() == 1);
    CHECK(slurp(old) == encode(intent("a@x.com"))); // no header is put before its records

    auto later =
        dir.file("later.journal", encode(header_record{journal_format::version + 1, "t", ""}));
    try {
        journal_file::open_existing(later);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::config);
        CHECK(std::string(e.what()).find("newer zprov") != std::string::npos);
    }
}

TEST_CASE("journal file: a line longer than any record is refused without reading it all") {
    test::temp_dir dir;
    auto path = dir.path() + "/long.journal";
    { auto f = journal_file::open_for_append(path, ignore); }
    {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        std::string block(1 << 20, 'x');
        for (std::size_t i = 0; i <= journal_format::max_line_bytes >> 20; ++i)
            out << block;
    }
    try {
        read_journal(path);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()).find("line 2 is longer") != std::string::npos);
    }
}

TEST_CASE("journal file: a write that fails (file size limit) cuts back to the last whole record "
          "and stops appending") {
    test::temp_dir dir;
    auto path = dir.path() + "/full.journal";
    auto f = journal_file::open_for_append(path, ignore);
    const auto record = encode(intent("a@example.com"));
    const auto header_size = slurp(path).size();

    struct rlimit saved {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limited = saved;
    // Room for two records and half of a third.
    limited.rlim_cur = header_size + 2 * record.size() + record.size() / 2;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    f.append(record);
    f.append(record);
    std::optional<fatal_error> error;
    try {
        f.append(record);
    } catch (const fatal_error& e) {
        error = e;
    }
    bool later_refused = false;
    try {
        f.append(record);
    } catch (const fatal_error&) {
        later_refused = true;
    }
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);

    REQUIRE(error);
    CHECK(error->code() == exit_code::cannot_write);
    CHECK(to_int(error->code()) == 74);
    CHECK(f.failed());
    CHECK(later_refused);
    CHECK(slurp(path).size() == header_size + 2 * record.size());
    auto s = read_journal(path);
    CHECK_FALSE(s.torn_tail);
    CHECK(s.records == 3);
}

TEST_CASE("journal file: a journal of format 2 is raised to this format in place when appended "
          "to, so that an earlier zprov refuses its newer records instead of skipping them") {
    test::temp_dir dir;
    const auto v2 = encode(header_record{2, "2026-11-27T00:10:00Z", "sub-1"});
    const auto rest = encode(intent("a@x.com"));
    auto path = dir.file("v2.journal", v2 + rest);
    { // read only: left as it is
        auto f = journal_file::open_existing(path);
        CHECK(f.kind() == journal_kind::current);
    }
    CHECK(slurp(path) == v2 + rest);
    {
        auto f = journal_file::open_for_append(path, ignore, "sub-1");
        CHECK(f.kind() == journal_kind::current);
        CHECK(f.account() == "sub-1");
        CHECK(slurp(path) == v2 + rest); // not before the journal has been read
        f.raise_format();
    }
    const auto raised =
        encode(header_record{journal_format::version, "2026-11-27T00:10:00Z", "sub-1"});
    CHECK(raised.size() == v2.size());
    CHECK(slurp(path) == raised + rest); // the header alone changed, the records after it kept
    CHECK(journal_format::version == 3);
}
