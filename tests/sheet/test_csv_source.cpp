#include "zprov/sheet/csv_source.hpp"

#include "support/process.hpp"

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

namespace {
struct read_result {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> notices;
    csv_encoding encoding = csv_encoding::automatic;
    char separator = '\0';
};

read_result read_as(const std::string& bytes, csv_format format = {}, bool rereadable = true) {
    auto source = csv_source::from_memory("t.csv", bytes, format, rereadable);
    read_result out;
    csv_record r;
    while (source.next(r))
        out.rows.emplace_back(r.cells.begin(), r.cells.end());
    out.notices = source.notices();
    out.encoding = source.encoding();
    out.separator = source.separator();
    return out;
}

std::string error_reading(const std::string& bytes, csv_format format = {}) {
    try {
        read_as(bytes, format);
    } catch (const csv_file_error& e) {
        CHECK(e.code() == exit_code::data);
        return e.what();
    }
    return "no error";
}

std::string utf16le_with_bom(const std::u16string& s) {
    std::string out = "\xFF\xFE";
    for (char16_t c : s) {
        out += static_cast<char>(c & 0xFF);
        out += static_cast<char>(c >> 8);
    }
    return out;
}

bool mentions(const std::vector<std::string>& notices, std::string_view part) {
    for (const auto& n : notices)
        if (n.find(part) != std::string::npos)
            return true;
    return false;
}

// "María González" as Excel's "CSV (Comma delimited)" saves it: Windows-1252, CRLF.
const std::string cp1252_sheet = "Email,First Name,Last Name\r\n"
                                 "maria@x.com,Mar\xED"
                                 "a,Gonz\xE1lez\r\n";
} // namespace

TEST_CASE("csv encodings: a file that is not UTF-8 is read as Windows-1252, with one notice") {
    auto r = read_as(cp1252_sheet);
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[1] == std::vector<std::string>{"maria@x.com", "María", "González"});
    CHECK(r.encoding == csv_encoding::cp1252);
    REQUIRE(r.notices.size() == 1);
    CHECK(r.notices[0].find("read as Windows-1252") == 0);
    CHECK(r.notices[0].find("line 2 has byte 0xED, which is not UTF-8") != std::string::npos);

    // UTF-8 is UTF-8, silently; so is plain ASCII.
    auto utf8 = read_as("Email,Name\nzoe@x.com,Zoë\n");
    CHECK(utf8.rows[1][1] == "Zoë");
    CHECK(utf8.encoding == csv_encoding::utf8);
    CHECK(utf8.notices.empty());
}

TEST_CASE("csv encodings: UTF-16 by its byte-order mark, tabs found from the header") {
    // Excel's "Unicode Text": UTF-16 LE with a byte-order mark, tabs, CRLF.
    auto r = read_as(utf16le_with_bom(u"Email\tFirst Name\tLast Name\r\n"
                                      u"lukasz@x.pl\tŁukasz\tNowak\r\n"
                                      u"wang@x.cn\t小明\t王\r\n"));
    REQUIRE(r.rows.size() == 3);
    CHECK(r.rows[0] == std::vector<std::string>{"Email", "First Name", "Last Name"});
    CHECK(r.rows[1] == std::vector<std::string>{"lukasz@x.pl", "Łukasz", "Nowak"});
    CHECK(r.rows[2][1] == "小明");
    CHECK(r.encoding == csv_encoding::utf16);
    CHECK(r.separator == '\t');
    CHECK(mentions(r.notices, "read as UTF-16 LE"));
    CHECK(mentions(r.notices, "separated by a tab"));

    std::string be = "\xFE\xFF";
    for (char c : std::string("Email\nann@x.com\n"))
        be += std::string{'\0', c};
    auto big = read_as(be);
    REQUIRE(big.rows.size() == 2);
    CHECK(big.rows[1][0] == "ann@x.com");
    CHECK(mentions(big.notices, "UTF-16 BE"));
}

TEST_CASE("csv encodings: a byte-order mark wins over --encoding, with a notice") {
    auto r = read_as(utf16le_with_bom(u"Email\nann@x.com\n"), {.encoding = csv_encoding::cp1252});
    CHECK(r.rows.at(1)[0] == "ann@x.com");
    CHECK(mentions(r.notices, "not as the Windows-1252 asked for"));
    auto utf8 = read_as("\xEF\xBB\xBF"
                        "Email\nzoe@x.com\n",
                        {.encoding = csv_encoding::latin1});
    CHECK(utf8.encoding == csv_encoding::utf8);
    CHECK(mentions(utf8.notices, "UTF-8 byte-order mark") == false);
    CHECK(mentions(utf8.notices, "read as UTF-8, as its byte-order mark says"));
}

TEST_CASE("csv encodings: neither UTF-8 nor Windows-1252 stops at once, naming the line") {
    auto e = error_reading("Email,Name\r\nann@x.com,Ann\r\nbob@x.com,B\x81"
                           "b\r\n");
    CHECK(e.find("t.csv: line 3: the file is neither UTF-8") == 0);
    CHECK(e.find("byte 0x81 is no character there") != std::string::npos);
    CHECK(e.find("--encoding") != std::string::npos);
    // Asked for by name, the problem is met on its line.
    auto asked = error_reading("Email,Name\nann@x.com,Ann\nbob@x.com,B\x9D"
                               "b\n",
                               {.encoding = csv_encoding::cp1252});
    CHECK(asked.find("t.csv: line 3: byte 0x9D is no character in Windows-1252") == 0);
    // ISO-8859-1 has every byte.
    auto latin = read_as("Email,Name\nbob@x.com,B\x81"
                         "b\n",
                         {.encoding = csv_encoding::latin1});
    CHECK(latin.rows[1][1] == "B\u0081b");
}

TEST_CASE("csv encodings: a regular file is decided on all of it, a pipe by its start") {
    // The byte that is not UTF-8 lies beyond what auto looks at first.
    std::string text = "Email,Name\n";
    for (int i = 0; i < 50; ++i)
        text += "user" + std::to_string(i) + "@x.com,Zoe\n";
    text += "maria@x.com,Mar\xED"
            "a\n";
    const csv_format small{.decide_within = 64};
    auto file = read_as(text, small, /*rereadable=*/true);
    CHECK(file.encoding == csv_encoding::cp1252);
    CHECK(file.rows.back()[1] == "María");
    CHECK(mentions(file.notices, "line 52 has byte 0xED"));

    auto pipe = read_as(text, small, /*rereadable=*/false);
    CHECK(pipe.encoding == csv_encoding::utf8);
    CHECK(pipe.rows.back()[1] == "Mar\xED"
                                 "a"); // passed on as it is: the row's check refuses it

    // Asked for UTF-8, bytes are passed on as they are.
    CHECK(read_as(cp1252_sheet, {.encoding = csv_encoding::utf8}).rows[1][1] == "Mar\xED"
                                                                                "a");
}

TEST_CASE("csv encodings: a file partly UTF-8 is read as UTF-8, not garbled as Windows-1252") {
    // "Zoë" in UTF-8, then "María" in Windows-1252 (pasted from another export, say).
    std::string text = "Email,Name\nzoe@x.com,Zoë\n";
    for (int i = 0; i < 20; ++i)
        text += "user" + std::to_string(i) + "@x.com,Ann\n";
    text += "maria@x.com,Mar\xED"
            "a\n";
    for (bool beyond : {false, true}) {
        CAPTURE(beyond);
        const csv_format f{.decide_within = beyond ? 16U : 0U};
        auto r = read_as(text, f);
        CHECK(r.encoding == csv_encoding::utf8);
        CHECK(r.rows[1][1] == "Zoë");
        REQUIRE(r.notices.size() == 1);
        CHECK(r.notices[0].find("read as UTF-8, though line 23 has byte 0xED") == 0);
        CHECK(r.notices[0].find("line 2 is UTF-8, so the file mixes encodings") !=
              std::string::npos);
    }
    // Asked for, Windows-1252 it is.
    auto asked = read_as(text, {.encoding = csv_encoding::cp1252});
    CHECK(asked.rows[1][1] == "ZoÃ«");
    CHECK(asked.rows.back()[1] == "María");
}

TEST_CASE("csv encodings: a NUL in decoded UTF-16 is a file-level error on its line") {
    auto e = error_reading(
        utf16le_with_bom(std::u16string(u"Email\nann@x.com\nb") + u'\0' + u"ob@x.com\n"));
    CHECK(e.find("t.csv: line 3:") == 0);
    CHECK(e.find("NUL") != std::string::npos);
}

TEST_CASE("csv delimiters: auto takes the separator that gives the most known columns") {
    auto judged = [](const std::string& text, csv_format format = {}) {
        auto source = csv_source::from_memory("t.csv", text, format);
        source.judge_header_by(
            [](std::string_view h) { return h == "Email" || h == "Name" || h == "Title"; });
        csv_record r;
        std::vector<std::vector<std::string>> rows;
        while (source.next(r))
            rows.emplace_back(r.cells.begin(), r.cells.end());
        return std::pair{source.separator(), rows};
    };
    // European Excel: ';', and a ',' inside a cell needs no quotes.
    auto [semi, rows] = judged("Email;Name;Title\r\nann@x.com;Lee, Ann;\"Rep; EMEA\"\r\n");
    CHECK(semi == ';');
    CHECK(rows[1] == std::vector<std::string>{"ann@x.com", "Lee, Ann", "Rep; EMEA"});
    // More cells, but fewer known: a ';' inside an unknown comma-separated header.
    CHECK(judged("Email,Notes (a;b;c;d)\n").first == ',');
    CHECK(judged("Email\tName\tX;Y\n").first == '\t');
    // A tie keeps the comma.
    CHECK(judged("Email\n").first == ',');
    // Given, it is used as it is.
    auto [forced, forced_rows] =
        judged("Email;Name\nann@x.com;Ann\n", {.delimiter = csv_delimiter::comma});
    CHECK(forced == ',');
    CHECK(forced_rows[0] == std::vector<std::string>{"Email;Name"});
    // Without a judge, every non-empty cell counts.
    CHECK(read_as("a;b;c\n1;2;3\n").separator == ';');
    CHECK(read_as("a;b;c\n").notices.size() == 1);
}

TEST_CASE("csv encodings: UTF-16 without a byte-order mark, when asked for (little-endian)") {
    std::string bare;
    for (char c : std::string("Email\nann@x.com\n"))
        bare += std::string{c, '\0'};
    auto e = error_reading(bare); // auto: valid UTF-8, full of NULs
    CHECK(e.find("line 1: holds a NUL byte") != std::string::npos);
    CHECK(e.find("--encoding utf-16") != std::string::npos);
    auto r = read_as(bare, {.encoding = csv_encoding::utf16});
    CHECK(r.rows.at(1)[0] == "ann@x.com");
    CHECK(mentions(r.notices, "no byte-order mark"));
}
