#include "zprov/csv_source.hpp"

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
