// A journal the replay cannot take as it is: a torn last line (cut off with a warning), a bad
// checksum or damage before the end, headers of a wrong version or shape, CR LF line ends,
// two journals in one file; and a format-1 journal (no header), which it reads.
#include "zprov/journal/line.hpp"
#include "zprov/journal/replay.hpp"
#include "zprov/journal/writer.hpp"

#include "journal/replay_records.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sys/stat.h>

using namespace zprov;
using namespace zprov::test::replay;
using zprov::test::slurp;

TEST_CASE("journal: a torn last line (no newline) is cut off with a warning") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    auto good = encode(header_record{journal_format::version, "t", ""}) +
                encode(intent("a@example.com", 2)) +
                encode(result("a@example.com", outcome::created));
    auto torn = encode(intent("b@example.com", 3));
    std::ofstream(path, std::ios::binary) << good << torn.substr(0, torn.size() - 9);
    ::chmod(path.c_str(), 0600);

    auto ro = read_journal(path);
    CHECK(ro.torn_tail);
    CHECK(ro.records == 3);

    std::vector<std::string> warnings;
    {
        journal_writer w(path, [&](const std::string& m) { warnings.push_back(m); });
        CHECK(w.summary().records == 3);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].find("torn") != std::string::npos);
        CHECK(slurp(path) == good);
        w.append(intent("b@example.com", 3));
    }
    auto after = read_journal(path);
    CHECK_FALSE(after.torn_tail);
    CHECK(after.records == 4);
}

TEST_CASE("journal: a complete last line with a bad checksum is damage, not a torn write") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    auto last = encode(result("a@example.com", outcome::created));
    last[20] = last[20] == '#' ? '%' : '#';
    const auto text = encode(header_record{2, "t", ""}) + encode(intent("a@example.com", 2)) + last;
    std::ofstream(path, std::ios::binary) << text;
    ::chmod(path.c_str(), 0600);
    try {
        read_journal(path);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()).find("line 3: damaged journal record") != std::string::npos);
    }
    CHECK_THROWS_AS(journal_writer(path, ignore), fatal_error);
    CHECK(slurp(path) == text); // nothing was cut
}

TEST_CASE("journal: damage before the end is an error naming the line") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    auto second = encode(intent("a@example.com", 2));
    second[20] = '#';
    std::ofstream(path, std::ios::binary) << encode(intent("z@example.com", 9)) << second
                                          << encode(result("a@example.com", outcome::created));
    try {
        read_journal(path);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()).find("line 2: damaged journal record") != std::string::npos);
    }
    CHECK_THROWS_AS(journal_writer(path, ignore), fatal_error);
}

TEST_CASE("journal: a format-1 journal (no header record) replays and is appended to") {
    test::temp_dir dir;
    auto path = dir.path() + "/old.journal";
    std::ofstream(path, std::ios::binary)
        << slurp(zprov::test::source_dir() + "/tests/fuzz/journal/outcomes.journal");
    ::chmod(path.c_str(), 0600);
    auto before = read_journal(path);
    CHECK(before.records > 0);
    {
        journal_writer w(path, ignore);
        CHECK(w.summary().records == before.records);
        w.append(intent("new@example.com", 99));
    }
    auto after = read_journal(path);
    CHECK(after.records == before.records + 1);
    CHECK(after.rows.at("new@example.com").open_intent);
}

namespace {
// What reading `text` as a journal, by status/report and by a run, throws: the exit code and
// the message ("" when it reads).
std::pair<exit_code, std::string> refusal(const std::string& text) {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    std::ofstream(path, std::ios::binary) << text;
    ::chmod(path.c_str(), 0600);
    std::pair<exit_code, std::string> reader{exit_code::ok, ""}, writer{exit_code::ok, ""};
    try {
        read_journal(path);
    } catch (const fatal_error& e) {
        reader = {e.code(), e.what()};
    }
    try {
        journal_writer w(path, ignore);
    } catch (const fatal_error& e) {
        writer = {e.code(), e.what()};
    }
    CHECK(reader.first == writer.first);
    CHECK(slurp(path) == text); // refused untouched
    return reader;
}
} // namespace

TEST_CASE("journal: a header of version 0 or below, or without a version, is a damaged journal") {
    for (int version : {0, -1, -2147483647}) {
        auto [code, why] =
            refusal(encode(header_record{version, "t", ""}) + encode(intent("a@example.com", 2)));
        CHECK(code == exit_code::data);
        CHECK_MESSAGE(why.find("line 1") != std::string::npos, why);
        CHECK(why.find("damaged") != std::string::npos);
    }
    auto header = encode(header_record{2, "t", ""});
    header.erase(header.find(R"("version":2,)"), 12);
    // Sealed again, so that only the missing version is wrong.
    auto unsealed = header.substr(0, header.find(R"(,"crc")")) + "}";
    seal_line(unsealed);
    auto [code, why] = refusal(unsealed + encode(intent("a@example.com", 2)));
    CHECK(code == exit_code::data);
    CHECK_MESSAGE(why.find("line 1") != std::string::npos, why);
}

TEST_CASE("journal: a damaged header line or CR LF line ends are a damaged journal naming the "
          "line, not another kind of file") {
    auto header = encode(header_record{2, "t", ""});
    auto damaged = header;
    damaged[damaged.find("\"at\"") + 6] = '#';
    auto [code, why] = refusal(damaged + encode(intent("a@example.com", 2)));
    CHECK(code == exit_code::data);
    CHECK_MESSAGE(why.find("line 1: damaged journal record") != std::string::npos, why);
    CHECK(why.find("not a zprov journal") == std::string::npos);

    std::string crlf;
    for (const auto& line : {header, encode(intent("a@example.com", 2))})
        crlf += line.substr(0, line.size() - 1) + "\r\n";
    auto [crlf_code, crlf_why] = refusal(crlf);
    CHECK(crlf_code == exit_code::data);
    CHECK_MESSAGE(crlf_why.find("line 1") != std::string::npos, crlf_why);
    CHECK(crlf_why.find("CR LF") != std::string::npos);
    CHECK(crlf_why.find("not a zprov journal") == std::string::npos);
    // Only the body's lines end in CR LF.
    auto [body_code, body_why] =
        refusal(header + crlf.substr(crlf.find("\r\n") + 2) + encode(intent("b@example.com", 3)));
    CHECK(body_code == exit_code::data);
    CHECK_MESSAGE(body_why.find("line 2") != std::string::npos, body_why);
    CHECK(body_why.find("CR LF") != std::string::npos);
}

TEST_CASE("journal: two journals one after the other (a second header) are an error naming the "
          "line") {
    const auto first = encode(header_record{2, "t", ""}) + encode(intent("a@example.com", 2)) +
                       encode(result("a@example.com", outcome::created));
    for (const auto* account : {"", "SUB"}) {
        auto [code, why] = refusal(first + encode(header_record{2, "t", account}) +
                                   encode(intent("b@example.com", 2)));
        CHECK(code == exit_code::data);
        CHECK_MESSAGE(why.find("line 4") != std::string::npos, why);
        CHECK(why.find("second journal") != std::string::npos);
    }
}
