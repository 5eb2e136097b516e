#include "zprov/base/private_file.hpp"

#include "support/process.hpp"
#include "zprov/base/exit_codes.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <iterator>
#include <ostream>
#include <sys/stat.h>
#include <unistd.h>

using namespace zprov;
using zprov::test::slurp;

TEST_CASE("private file: written whole with mode 0600, replacing what was there") {
    test::temp_dir dir;
    auto out = dir.file("report.csv", "old contents\n");
    ::chmod(out.c_str(), 0644);
    write_private_file(out, "email,outcome\r\n", {});
    CHECK(slurp(out) == "email,outcome\r\n");
    struct stat st {};
    REQUIRE(::stat(out.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto fresh = dir.path() + "/new.json";
    write_private_file(fresh, [](std::ostream& o) { o << "{}\n"; }, {});
    CHECK(slurp(fresh) == "{}\n");
}

TEST_CASE("private file: the journal or the input, under any name, is refused untouched") {
    test::temp_dir dir;
    auto journal = dir.file("j.journal", "records\n");
    auto link = dir.path() + "/hard.csv";
    REQUIRE(::link(journal.c_str(), link.c_str()) == 0);
    auto sym = dir.path() + "/sym.csv";
    REQUIRE(::symlink(journal.c_str(), sym.c_str()) == 0);
    for (const auto& target : {journal, link, sym, dir.path() + "/./j.journal"}) {
        try {
            write_private_file(target, "x", {"users.csv", journal});
            FAIL("not refused: " << target);
        } catch (const fatal_error& e) {
            CHECK(e.code() == exit_code::config);
            CHECK(std::string(e.what()).find("same file") != std::string::npos);
        }
    }
    CHECK(slurp(journal) == "records\n");
}

TEST_CASE("private file: a failed writer leaves the old file and no temporary behind") {
    test::temp_dir dir;
    auto out = dir.file("report.csv", "old\n");
    CHECK_THROWS_AS(write_private_file(out,
                                       [](std::ostream& o) {
                                           o << "half";
                                           throw fatal_error(exit_code::data, "damaged");
                                       },
                                       {}),
                    fatal_error);
    CHECK(slurp(out) == "old\n");
    auto entries = std::distance(std::filesystem::directory_iterator(dir.path()),
                                 std::filesystem::directory_iterator());
    CHECK(entries == 1);
}

TEST_CASE("private file: a device is written directly, never replaced") {
    write_private_file("/dev/null", "discarded", {});
    struct stat st {};
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
}
