#include "zprov/journal.hpp"

#include "process.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace zprov;
using nlohmann::json;
using zprov::test::slurp;

namespace {
json intent(const std::string& email, unsigned line, const std::string& day = "2026-11-28") {
    return {
        {"type", "intent"}, {"email", email}, {"line", line}, {"day", day}, {"action", "create"}};
}

json result(const std::string& email, const std::string& what) {
    return {{"type", "outcome"}, {"email", email}, {"outcome", what}, {"line", 2}};
}

auto ignore = [](const std::string&) {};
} // namespace

TEST_CASE("journal records carry a checksum and round-trip") {
    json body{{"type", "intent"}, {"email", "zoë@example.com"}, {"line", 7}};
    auto line = encode_record(body);
    CHECK(line.back() == '\n');
    CHECK(line.find(",\"crc\":\"") != std::string::npos);
    auto back = decode_record(line);
    REQUIRE(back);
    CHECK(*back == body);
    CHECK(json::parse(line).is_object()); // still one JSON object per line
    auto damaged = line;
    damaged[12] = (damaged[12] == 'x' ? 'y' : 'x');
    CHECK_FALSE(decode_record(damaged));
    CHECK_FALSE(decode_record(line.substr(0, line.size() / 2)));
}

TEST_CASE("journal replay: outcomes, open intents and identity by lower-cased email") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    {
        journal_writer w(path, ignore);
        w.append(intent("a@example.com", 2));
        w.append(result("a@example.com", "created"));
        w.append(intent("b@example.com", 3));
        w.append(result("b@example.com", "failed"));
        w.append(intent("b@example.com", 3));
        w.append(intent("c@example.com", 4, "2026-11-27"));
    }
    auto s = read_journal(path);
    CHECK(s.records == 6);
    CHECK(s.rows.at("a@example.com").last == outcome::created);
    CHECK_FALSE(s.rows.at("a@example.com").open_intent);
    CHECK(s.rows.at("b@example.com").open_intent);
    CHECK(s.rows.at("b@example.com").attempts == 2);
    CHECK(s.creates_by_day.at("2026-11-28") == 3);
    CHECK(s.creates_by_day.at("2026-11-27") == 1);
    auto c = count_outcomes(s);
    CHECK(c.created == 1);
    CHECK(c.in_doubt == 2);
    CHECK(c.failed == 0);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("journal: a torn last line is cut off with a warning") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    auto good = encode_record(intent("a@example.com", 2)) +
                encode_record(result("a@example.com", "created"));
    auto torn = encode_record(intent("b@example.com", 3));
    std::ofstream(path, std::ios::binary) << good << torn.substr(0, torn.size() - 9);
    ::chmod(path.c_str(), 0600);

    auto ro = read_journal(path);
    CHECK(ro.torn_tail);
    CHECK(ro.records == 2);

    std::vector<std::string> warnings;
    {
        journal_writer w(path, [&](const std::string& m) { warnings.push_back(m); });
        CHECK(w.summary().records == 2);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].find("torn") != std::string::npos);
        CHECK(slurp(path) == good);
        w.append(intent("b@example.com", 3));
    }
    auto after = read_journal(path);
    CHECK_FALSE(after.torn_tail);
    CHECK(after.records == 3);
}

TEST_CASE("journal: damage before the end is an error naming the line") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    auto first = encode_record(intent("a@example.com", 2));
    first[20] = '#';
    std::ofstream(path, std::ios::binary) << encode_record(intent("z@example.com", 9)) << first
                                          << encode_record(result("a@example.com", "created"));
    try {
        read_journal(path);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()).find("line 2: damaged journal record") != std::string::npos);
    }
    CHECK_THROWS_AS(journal_writer(path, ignore), fatal_error);
}

TEST_CASE("journal: one writer at a time, no symlinks, mode 0600") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    journal_writer first(path, ignore);
    try {
        journal_writer second(path, ignore);
        FAIL("no error");
    } catch (const fatal_error& e) {
        CHECK(e.code() == exit_code::paused);
        CHECK(std::string(e.what()).find("another zprov run") != std::string::npos);
    }
    auto link = dir.path() + "/link.journal";
    REQUIRE(::symlink(path.c_str(), link.c_str()) == 0);
    CHECK_THROWS_AS(journal_writer(link, ignore), fatal_error);

    auto loose = dir.path() + "/loose.journal";
    std::ofstream(loose) << "";
    ::chmod(loose.c_str(), 0644);
    std::vector<std::string> warnings;
    journal_writer fixed(loose, [&](const std::string& m) { warnings.push_back(m); });
    struct stat st {};
    REQUIRE(::stat(loose.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(warnings.size() == 1);
}

TEST_CASE("journal: a settled intent gives its quota back and is no longer in doubt") {
    test::temp_dir dir;
    journal_writer w(dir.path() + "/j.journal", ignore);
    w.append(intent("a@example.com", 2));
    w.append(intent("b@example.com", 3));
    CHECK(w.summary().creates_by_day.at("2026-11-28") == 2);
    w.append({{"type", "settled"},
              {"email", "a@example.com"},
              {"day", "2026-11-28"},
              {"action", "create"}});
    CHECK(w.summary().creates_by_day.at("2026-11-28") == 1);
    CHECK_FALSE(w.summary().rows.at("a@example.com").open_intent);
    CHECK_FALSE(w.summary().rows.at("a@example.com").last);
    CHECK(count_outcomes(w.summary()).in_doubt == 1);
    // Settling twice gives nothing back twice.
    w.append({{"type", "settled"},
              {"email", "a@example.com"},
              {"day", "2026-11-28"},
              {"action", "create"}});
    CHECK(w.summary().creates_by_day.at("2026-11-28") == 1);
}

TEST_CASE("journal: pauses are remembered until a resume record") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    journal_writer w(path, ignore);
    w.append({{"type", "pause"}, {"until", "2026-11-29T00:00:00Z"}, {"reason", "daily cap"}});
    REQUIRE(w.summary().pause);
    CHECK(iso8601(w.summary().pause->until) == "2026-11-29T00:00:00Z");
    w.append({{"type", "resume"}});
    CHECK_FALSE(w.summary().pause);
}

TEST_CASE("journal replay reads escaped text, nested values and any key order alike") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    {
        journal_writer w(path, ignore);
        w.append({{"type", "run"},
                  {"header", {"E\"mail", "Name, first"}},
                  {"summary", {{"a", {1, 2}}}}});
        w.append({{"type", "pause"},
                  {"until", "2026-11-29T00:00:00Z"},
                  {"reason", "Zoom said \"daily\" \\ cap"}});
        w.append({{"zz", "x"},
                  {"type", "intent"},
                  {"email", "a@example.com"},
                  {"line", 7},
                  {"day", "2026-11-28"}});
        w.append({{"type", "outcome"},
                  {"email", "a@example.com"},
                  {"outcome", "created"},
                  {"row", {"a,b", "{\"}"}}});
    }
    auto s = read_journal(path);
    CHECK(s.records == 4);
    REQUIRE(s.pause);
    CHECK(s.pause->reason == "Zoom said \"daily\" \\ cap");
    CHECK(s.last_run["header"][0] == "E\"mail");
    CHECK(s.rows.at("a@example.com").last == outcome::created);
    CHECK(s.rows.at("a@example.com").line == 7);
    CHECK(s.creates_by_day.at("2026-11-28") == 1);
    // The writer's own summary, built from the records as appended, agrees.
    journal_writer again(path, ignore);
    CHECK(again.summary().rows.at("a@example.com").last == outcome::created);
    CHECK(again.summary().pause->reason == s.pause->reason);
}
