#include "zprov/csv_source.hpp"

#include "process.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace zprov;

namespace {
std::vector<std::vector<std::string>> read_all(const std::string& text,
                                               std::vector<unsigned>* lines = nullptr) {
    auto source = csv_source::from_memory("t.csv", text);
    std::vector<std::vector<std::string>> out;
    csv_record r;
    while (source.next(r)) {
        out.emplace_back(r.cells.begin(), r.cells.end());
        if (lines)
            lines->push_back(r.line);
    }
    return out;
}

std::string file_error_of(const std::string& text) {
    try {
        read_all(text);
    } catch (const csv_file_error& e) {
        CHECK(e.code() == exit_code::data);
        return e.what();
    }
    return "no error";
}
} // namespace

TEST_CASE("csv_source: BOM, CRLF, quoted commas and doubled quotes") {
    auto rows = read_all("\xEF\xBB\xBF"
                         "Email,Name\r\n"
                         "a@x.com,\"Lee, Ann\"\r\n"
                         "b@x.com,\"The \"\"Boss\"\"\"\r\n"
                         "c@x.com,  padded  \r\n");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == std::vector<std::string>{"Email", "Name"});
    CHECK(rows[1][1] == "Lee, Ann");
    CHECK(rows[2][1] == "The \"Boss\"");
    CHECK(rows[3][1] == "padded");
}

TEST_CASE(
    "csv_source: blank lines and separator-only lines are skipped - line numbers are physical") {
    std::vector<unsigned> lines;
    auto rows = read_all("Email\n\na@x.com\n,,,\nb@x.com", &lines);
    REQUIRE(rows.size() == 3);
    CHECK(lines == std::vector<unsigned>{1, 3, 5});
    CHECK(rows[2][0] == "b@x.com");
}

TEST_CASE("csv_source: empty cells are kept in place") {
    auto rows = read_all("a,,c,\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == std::vector<std::string>{"a", "", "c", ""});
}

TEST_CASE("csv_source: file-level errors name the file and line") {
    CHECK(file_error_of("") == "t.csv: the file is empty");
    CHECK(file_error_of("\xEF\xBB\xBF") == "t.csv: the file is empty");
    auto quoted_newline = file_error_of("Email,Note\na@x.com,\"two\nlines\"\n");
    CHECK(quoted_newline.find("t.csv: line 2: a quoted cell is not closed") == 0);
    CHECK(quoted_newline.find("line breaks inside a cell") != std::string::npos);
    CHECK(file_error_of("Email,Name\ra@x.com,Ann\r")
              .find("t.csv: line 1: lines end in a bare carriage return") == 0);
    auto utf16 = file_error_of(std::string("\xFF\xFE"
                                           "E\0m\0",
                                           6));
    CHECK(utf16.find("UTF-16") != std::string::npos);
}

TEST_CASE("csv_source: unreadable files") {
    try {
        csv_source::open("/nonexistent/users.csv");
        FAIL("no error");
    } catch (const csv_file_error& e) {
        CHECK(std::string(e.what()).find("/nonexistent/users.csv: cannot open") == 0);
    }
    try {
        csv_source::open("/tmp");
        FAIL("no error");
    } catch (const csv_file_error& e) {
        CHECK(std::string(e.what()).find("directory") != std::string::npos);
    }
}

TEST_CASE("csv: a NUL byte is a file-level error naming its line, not a silently shortened row") {
    std::string text = "Email,First Name\nann@example.com,Ann\nbob@example.com,B";
    text += '\0';
    text += "ob,extra\ncid@example.com,Cid\n";
    auto source = csv_source::from_memory("t.csv", text);
    csv_record r;
    REQUIRE(source.next(r)); // the header
    REQUIRE(source.next(r)); // line 2 is whole and comes first
    CHECK(r.line == 2);
    try {
        source.next(r);
        FAIL("a NUL byte was read as text");
    } catch (const csv_file_error& e) {
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()).find("line 3") != std::string::npos);
        CHECK(std::string(e.what()).find("NUL") != std::string::npos);
    }
}

TEST_CASE("csv: a UTF-16 file is still named as such, though it is full of NUL bytes") {
    std::string text = "\xff\xfe";
    for (char c : std::string("Email\n"))
        text += std::string{c, '\0'};
    CHECK(file_error_of(text).find("UTF-16") != std::string::npos);
}

TEST_CASE("csv: the ' that zprov report puts before formula-looking cells is taken off") {
    auto rows = read_all("Email,Note\n'-ann@example.com,'=1+2\n'+1 555,'@home\n"
                         "'plain,'\n\"'\t tabbed\",it's\n");
    REQUIRE(rows.size() == 5);
    CHECK(rows[1] == std::vector<std::string>{"-ann@example.com", "=1+2"});
    CHECK(rows[2] == std::vector<std::string>{"+1 555", "@home"});
    // only before a formula start, and never a lone quote
    CHECK(rows[3][0] == "'plain");
    CHECK(rows[3][1] == "'");
    CHECK(rows[4] == std::vector<std::string>{"\t tabbed", "it's"});
}

TEST_CASE("csv: only a regular file counts as readable twice") {
    CHECK_FALSE(csv_source::rereadable("-"));
    CHECK_FALSE(csv_source::rereadable("/dev/null"));
    CHECK_FALSE(csv_source::rereadable("/nonexistent/users.csv"));
    CHECK(csv_source::rereadable(zprov::test::source_dir() + "/CMakeLists.txt"));
}
