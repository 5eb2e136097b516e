// Spreadsheets as Excel and HR systems save them, made here byte for byte: Windows-1252
// ("CSV (Comma delimited)"), ';'-separated (European Excel), UTF-16 LE with tabs ("Unicode
// Text"), UTF-8 with a byte-order mark ("CSV UTF-8"). `run`, `validate` and `run --dry-run`
// read them alike, and zoomsim's record shows the names arrived in UTF-8 exactly.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace zprov::test;
using nlohmann::json;

namespace {
const std::string zprov_bin = zprov_program();

struct person {
    std::string local, first, last; // the names in UTF-8: what Zoom must receive
};

// Every name here is in Windows-1252 (Š is 0x8A, one of its 0x80-0x9F letters).
const std::vector<person> western = {
    {"maria.gonzalez", "María", "González"},
    {"jose.muller", "José", "Müller"},
    {"zoe.oconnor", "Zoë", "O'Connor"},
    {"sarka.novakova", "Šárka", "Nováková"},
};
// And these are not.
const std::vector<person> beyond = {
    {"lukasz.zolc", "Łukasz", "Żółć"},
    {"wang.xiaoming", "小明", "王"},
};

std::string email(const person& p, const std::string& tag) {
    return p.local + "@" + tag + ".example.com";
}

// The western rows as Excel writes them in Windows-1252, separated by `sep`. "Ventas, EMEA"
// holds a ',': quoted where ',' separates.
std::string cp1252_sheet(const std::string& tag, char sep) {
    const std::string s(1, sep);
    const std::string sales = sep == ',' ? "\"Ventas, EMEA\"" : "Ventas, EMEA";
    return "Email" + s + "First Name" + s + "Last Name" + s + "Department\r\n" +
           email(western[0], tag) + s + "Mar\xED" + "a" + s + "Gonz\xE1lez" + s + sales + "\r\n" +
           email(western[1], tag) + s + "Jos\xE9" + s + "M\xFCller" + s + "Vertrieb\r\n" +
           email(western[2], tag) + s + "Zo\xEB" + s + "O'Connor" + s + "Sales\r\n" +
           email(western[3], tag) + s + "\x8A\xE1rka" + s + "Nov\xE1kov\xE1" + s + "Prodej\r\n";
}

// All rows, as text in UTF-8, separated by `sep`.
std::string utf8_rows(const std::string& tag, char sep) {
    const std::string s(1, sep);
    std::string text = "Email" + s + "First Name" + s + "Last Name" + s + "Department\r\n";
    for (const auto* group : {&western, &beyond})
        for (const auto& p : *group)
            text += email(p, tag) + s + p.first + s + p.last + s + "Sales\r\n";
    return text;
}

// UTF-16 LE with its byte-order mark, from UTF-8 (an encoder of the test's own).
std::string utf16le_with_bom(const std::string& utf8) {
    std::string out = "\xFF\xFE";
    auto unit = [&out](char32_t u) {
        out += static_cast<char>(u & 0xFF);
        out += static_cast<char>((u >> 8) & 0xFF);
    };
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        i += static_cast<std::size_t>(n);
        if (cp < 0x10000) {
            unit(cp);
        } else {
            unit(0xD800 + ((cp - 0x10000) >> 10));
            unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
        }
    }
    return out;
}

struct saved_sheet {
    std::string name;   // the "Save as" type
    std::string tag;    // the emails' domain
    std::string bytes;  // the file
    std::string notice; // what zprov says it chose
    std::vector<const std::vector<person>*> people;
};

std::vector<saved_sheet> excel_sheets() {
    return {
        {"CSV (Comma delimited)",
         "cp1252",
         cp1252_sheet("cp1252", ','),
         "read as Windows-1252",
         {&western}},
        {"CSV (semicolon)",
         "semicolon",
         cp1252_sheet("semicolon", ';'),
         "separated by ';'",
         {&western}},
        {"Unicode Text",
         "utf16",
         utf16le_with_bom(utf8_rows("utf16", '\t')),
         "read as UTF-16 LE",
         {&western, &beyond}},
        {"CSV UTF-8",
         "utf8bom",
         "\xEF\xBB\xBF" + utf8_rows("utf8bom", ','),
         "",
         {&western, &beyond}},
    };
}

std::size_t rows_of(const saved_sheet& s) {
    std::size_t n = 0;
    for (const auto* group : s.people)
        n += group->size();
    return n;
}
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("sheets: files as Excel saves them are created with their names in UTF-8 exactly" *
          doctest::test_suite("zoomsim")) {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    for (const auto& sheet : excel_sheets()) {
        CAPTURE(sheet.name);
        const auto csv = env.dir.file(sheet.tag + ".csv", sheet.bytes);
        auto r = env.zprov(sim, csv, {"--plan", "business"});
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        if (!sheet.notice.empty())
            CHECK_MESSAGE(occurrences(r.err, sheet.notice) == 1, r.err);
        auto users = users_by_email(sim);
        for (const auto* group : sheet.people)
            for (const auto& p : *group) {
                CAPTURE(p.local);
                REQUIRE(users.count(email(p, sheet.tag)) == 1);
                const auto& u = users[email(p, sheet.tag)];
                CHECK(u["first_name"] == p.first);
                CHECK(u["last_name"] == p.last);
            }
        auto status = journal_status(csv + ".journal");
        CHECK(status["created"] == rows_of(sheet));
        CHECK(status["invalid"] == 0);
    }
}

TEST_CASE("sheets: validate and run --dry-run read every saved sheet as run does") {
    temp_dir dir;
    for (const auto& sheet : excel_sheets()) {
        CAPTURE(sheet.name);
        const auto csv = dir.file(sheet.tag + ".csv", sheet.bytes);
        auto v = run_process({zprov_bin, "validate", csv, "--json"});
        CHECK_MESSAGE(v.exit_code == 0, (v.out + v.err));
        auto doc = json::parse(v.out);
        CHECK(doc["rows"] == rows_of(sheet));
        CHECK(doc["valid"] == rows_of(sheet));
        if (!sheet.notice.empty())
            CHECK(doc["notices"].dump().find(sheet.notice) != std::string::npos);
        auto human = run_process({zprov_bin, "validate", csv});
        CHECK(human.exit_code == 0);
        if (!sheet.notice.empty())
            CHECK(occurrences(human.err, sheet.notice) == 1);

        auto dry = run_process({zprov_bin, "run", csv, "--dry-run", "--journal",
                                dir.path() + "/" + sheet.tag + ".journal"});
        CHECK_MESSAGE(dry.exit_code == 0, dry.err);
        CHECK(dry.err.find("Dry run: " + std::to_string(rows_of(sheet)) + " rows would be sent") !=
              std::string::npos);
        if (!sheet.notice.empty())
            CHECK(occurrences(dry.err, sheet.notice) == 1);
    }
}

TEST_CASE("sheets: --encoding and --delimiter, on the command line or in the config file") {
    temp_dir dir;
    const auto csv = dir.file("semi.csv", cp1252_sheet("semi", ';'));
    auto asked = run_process(
        {zprov_bin, "validate", csv, "--json", "--encoding", "cp1252", "--delimiter", ";"});
    CHECK(asked.exit_code == 0);
    auto doc = json::parse(asked.out);
    CHECK(doc["valid"] == western.size());
    CHECK(doc["notices"].empty()); // nothing was guessed
    const auto config =
        dir.file("zprov.json", R"({"encoding": "windows-1252", "delimiter": "semicolon"})");
    auto configured = run_process({zprov_bin, "validate", csv, "--json", "--config", config});
    CHECK(json::parse(configured.out)["valid"] == western.size());

    // Told it is UTF-8, the Windows-1252 names are refused row by row, as before.
    auto wrong = run_process({zprov_bin, "validate", csv, "--json", "--encoding", "utf-8"});
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.out.find("not valid UTF-8") != std::string::npos);
    // Told ',' splits it, it has no email column.
    auto comma = run_process({zprov_bin, "validate", csv, "--delimiter", ","});
    CHECK(comma.exit_code == 65);
    CHECK(comma.err.find("try --delimiter auto") != std::string::npos);
    CHECK(run_process({zprov_bin, "validate", csv, "--encoding", "ebcdic"}).exit_code == 64);
    auto bad_config = dir.file("bad.json", R"({"delimiter": "|"})");
    CHECK(run_process({zprov_bin, "validate", csv, "--config", bad_config}).exit_code == 78);
}

TEST_CASE("sheets: standard input is read like a file, from a pipe or redirected") {
    temp_dir dir;
    const auto text = cp1252_sheet("stdin", ',');
    auto piped = run_process({zprov_bin, "validate", "-", "--json"}, text);
    CHECK_MESSAGE(piped.exit_code == 0, piped.err);
    CHECK(json::parse(piped.out)["valid"] == western.size());
    const auto csv = dir.file("stdin.csv", text);
    auto redirected = run_process({"/bin/sh", "-c", zprov_bin + " validate - --json < " + csv});
    CHECK(json::parse(redirected.out)["valid"] == western.size());
}

TEST_CASE("sheets: a file neither UTF-8 nor Windows-1252 stops before anything is sent" *
          doctest::test_suite("zoomsim")) {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    // 0x81 is no character in Windows-1252 (Windows-1250, say, has Ś at 0x8C but nothing at
    // 0x81 either).
    const auto csv = env.dir.file("odd.csv", "Email,First Name\r\n"
                                             "ann@odd.example.com,Ann\r\n"
                                             "bo@odd.example.com,B\x81"
                                             "o\r\n");
    auto v = run_process({zprov_bin, "validate", csv});
    CHECK(v.exit_code == 65);
    CHECK(v.err.find(csv + ": line 3: the file is neither UTF-8") != std::string::npos);
    CHECK(v.err.find("byte 0x81") != std::string::npos);
    auto r = env.zprov(sim, csv);
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("line 3") != std::string::npos);
    CHECK(sim.stats()["requests_total"] == 0);
}

TEST_CASE("sheets: a name Excel could not save in Windows-1252 is refused - the report brings it "
          "back in UTF-8 with a byte-order mark, and fixed it is created" *
          doctest::test_suite("zoomsim")) {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    // "Łukasz" as Excel's "CSV (Comma delimited)" writes it: "?ukasz"; José's address is bad.
    const auto csv = env.dir.file("loss.csv", "Email,First Name,Last Name\r\n"
                                              "maria@loss.example.com,Mar\xED"
                                              "a,Gonz\xE1lez\r\n"
                                              "lukasz@loss.example.com,?ukasz,Nowak\r\n"
                                              "jose@loss,Jos\xE9,M\xFCller\r\n");
    auto r = env.zprov(sim, csv);
    CHECK(r.exit_code == 1);
    auto users = users_by_email(sim);
    CHECK(users["maria@loss.example.com"]["first_name"] == "María");
    CHECK(users.count("lukasz@loss.example.com") == 0);

    const auto fix = env.dir.path() + "/fix.csv";
    auto report = run_process({zprov_bin, "report", csv + ".journal", "--failed-only", "-o", fix});
    REQUIRE(report.exit_code == 0);
    auto text = slurp(fix);
    CHECK(text.starts_with("\xEF\xBB\xBF"
                           "Email,First Name,Last Name,zprov_outcome"));
    CHECK(text.find("jose@loss,José,Müller,invalid,") != std::string::npos);
    CHECK(text.find("lukasz@loss.example.com,?ukasz,Nowak,invalid,\"first_name: '?' where the "
                    "spreadsheet could not save a character in Windows-1252") != std::string::npos);
    // To standard output as well (not a terminal), and --no-bom leaves the mark out.
    auto piped = run_process({zprov_bin, "report", csv + ".journal", "--failed-only"});
    CHECK(piped.out == text);
    auto bare = run_process({zprov_bin, "report", csv + ".journal", "--no-bom"});
    CHECK(bare.out.starts_with("email,outcome,"));
    CHECK(run_process({zprov_bin, "report", csv + ".journal"})
              .out.starts_with("\xEF\xBB\xBF"
                               "email,outcome,"));

    // Fixed where Excel would show it, and fed back: read as UTF-8, as before.
    auto at = text.find("?ukasz");
    text.replace(at, 6, "Łukasz");
    text.replace(text.find("jose@loss,"), 10, "jose@loss.example.com,");
    const auto fixed = env.dir.file("fixed.csv", text);
    auto again = env.zprov(sim, fixed, {"--journal", csv + ".journal"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    CHECK(again.err.find("read as") == std::string::npos); // no guess: the mark says UTF-8
    users = users_by_email(sim);
    CHECK(users["lukasz@loss.example.com"]["first_name"] == "Łukasz");
    CHECK(users["jose@loss.example.com"]["last_name"] == "Müller");
}

TEST_CASE("sheets: past the first 32 MiB, a regular file is still decided on all of it, a pipe "
          "by its start") {
    temp_dir dir;
    std::string text = "Email,First Name,Last Name\r\n";
    text.reserve(34u << 20);
    int rows = 0;
    while (text.size() < (33u << 20)) // ASCII only: UTF-8 and Windows-1252 alike
        text += "user" + std::to_string(rows++) + "@big.example.com,Ann,Lee\r\n";
    text += "maria@big.example.com,Mar\xED"
            "a,Gonz\xE1lez\r\n";
    const auto line = std::to_string(rows + 2);
    const auto csv = dir.file("big.csv", text);

    auto file = run_process({zprov_bin, "validate", csv, "--json"});
    CHECK_MESSAGE(file.exit_code == 0, file.err);
    auto doc = json::parse(file.out);
    CHECK(doc["valid"] == rows + 1);
    CHECK(doc["notices"].dump().find("read as Windows-1252") != std::string::npos);
    CHECK(doc["notices"].dump().find("line " + line + " has byte 0xED") != std::string::npos);

    // UTF-8 further down still: the file mixes encodings, and is read as UTF-8, so that the
    // UTF-8 name is not garbled; the row that is not UTF-8 is refused.
    const auto mixed = dir.file("mixed.csv", text + "zoe@big.example.com,Zoë,Lee\r\n");
    auto mix = run_process({zprov_bin, "validate", mixed, "--json"});
    CHECK(mix.exit_code == 1);
    auto mix_doc = json::parse(mix.out);
    CHECK(mix_doc["invalid"] == 1);
    CHECK(mix_doc["errors"][0]["line"] == rows + 2);
    CHECK(mix_doc["notices"].dump().find("line " + std::to_string(rows + 3) +
                                         " is UTF-8, so the file mixes encodings") !=
          std::string::npos);

    // A pipe cannot be read twice: decided UTF-8 by its start, the late row is refused.
    auto piped =
        run_process({"/bin/sh", "-c", "cat " + csv + " | " + zprov_bin + " validate - --json"});
    CHECK(piped.exit_code == 1);
    auto pipe_doc = json::parse(piped.out);
    CHECK(pipe_doc["invalid"] == 1);
    CHECK(pipe_doc["errors"][0]["line"] == rows + 2);
    CHECK(pipe_doc["errors"][0]["reason"].get<std::string>().find("--encoding") !=
          std::string::npos);
}

TEST_SUITE_END();
