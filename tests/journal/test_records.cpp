#include "zprov/journal/records.hpp"

#include "zprov/base/crc32c.hpp"

#include <cstdio>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace zprov;

namespace {
// A line for `text` (a JSON object without its closing brace) with the right checksum.
std::string seal(const std::string& text) {
    char crc[9];
    std::snprintf(crc, sizeof crc, "%08x", crc32c(text));
    return text + R"(,"crc":")" + crc + "\"}\n";
}

template <class Record>
Record round_trip(const Record& r) {
    auto line = encode(r);
    REQUIRE(line.back() == '\n');
    auto back = decode(line);
    REQUIRE(back);
    REQUIRE(std::holds_alternative<Record>(*back));
    return std::get<Record>(*back);
}
} // namespace

TEST_CASE("journal records: every type round-trips through one line with a checksum") {
    auto h = round_trip(header_record{3, "2026-11-28T10:00:00Z", ""});
    CHECK(h.version == 3);
    CHECK(encode(header_record{2, "x", ""}).starts_with(journal_format::header_prefix));

    auto run = round_trip(run_record{"2026-11-28T10:00:00Z",
                                     "new hires.csv",
                                     "business",
                                     create_action::sso_create,
                                     77.5,
                                     10000,
                                     {"E\"mail", "Name, first"},
                                     4242});
    CHECK(run.action == create_action::sso_create);
    CHECK(run.rate == 77.5);
    CHECK(run.daily_cap == 10000);
    CHECK(run.header == std::vector<std::string>{"E\"mail", "Name, first"});
    CHECK(run.pid == 4242);

    auto i = round_trip(
        intent_record{"t", "zoë@example.com", 7, "2026-11-28", create_action::create, 3});
    CHECK(i.email == "zoë@example.com");
    CHECK(i.line == 7);
    CHECK(i.attempt == 3);

    auto s = round_trip(
        settled_record{"t", "a@x.com", "2026-11-28", create_action::auto_create, 429, "HTTP 429"});
    CHECK(s.action == create_action::auto_create);
    CHECK(s.http == 429);

    outcome_record o;
    o.at = "t";
    o.email = "b@x.com";
    o.what = outcome::rejected;
    o.line = 3;
    o.attempts = 1;
    o.http = 400;
    o.code = 1009;
    o.message = "say \"no\"\n\\";
    o.row = std::vector<std::string>{"b@x.com", "{\"}"};
    auto back = round_trip(o);
    CHECK(back.what == outcome::rejected);
    CHECK(back.line == 3u);
    CHECK(back.code == 1009);
    CHECK(back.message == o.message);
    CHECK(back.row == o.row);
    outcome_record plain;
    plain.email = "c@x.com";
    plain.what = outcome::created;
    CHECK_FALSE(round_trip(plain).row);

    CHECK(round_trip(pause_record{"t", "2026-11-29T00:00:00Z", "cap"}).until ==
          "2026-11-29T00:00:00Z");
    CHECK(round_trip(resume_record{"t"}).at == "t");
    CHECK(nlohmann::json::parse(round_trip(end_record{"t", 75, R"({"requests":3})"}).summary) ==
          nlohmann::json{{"requests", 3}});
}

TEST_CASE("journal records: each line is one JSON object, text that is not UTF-8 is replaced") {
    auto line = encode(intent_record{"t",
                                     "a\xff"
                                     "b@x.com",
                                     2, "d", create_action::create, 1});
    auto parsed = nlohmann::json::parse(line);
    CHECK(parsed["email"] == "a\xEF\xBF\xBD"
                             "b@x.com");
    CHECK(parsed["type"] == "intent");
    CHECK(parsed.contains("crc"));
}

TEST_CASE("journal records: a changed byte, a cut line, wrong types and non-JSON do not decode") {
    auto line = encode(intent_record{"t", "a@x.com", 2, "d", create_action::create, 1});
    for (std::size_t i = 0; i + 1 < line.size(); i += 5) {
        auto damaged = line;
        damaged[i] = damaged[i] == 'x' ? 'y' : 'x';
        CHECK_FALSE(decode(damaged));
    }
    CHECK_FALSE(decode(line.substr(0, line.size() / 2)));
    CHECK_FALSE(decode("Email,First Name,Last Name\n"));
    CHECK_FALSE(decode(""));
    // Checksummed objects with fields of the wrong types, or an unknown outcome.
    CHECK(decode(seal(R"({"type":"intent","line":7)")));
    CHECK_FALSE(decode(seal(R"({"type":"intent","line":"seven")")));
    CHECK_FALSE(decode(seal(R"({"type":"intent","line":-1)")));
    CHECK_FALSE(decode(seal(R"({"type":"intent","action":"delete")")));
    CHECK_FALSE(decode(seal(R"({"type":"outcome","outcome":"maybe")")));
    CHECK_FALSE(decode(seal(R"({"type":"outcome","outcome":"rejected","row":[1])")));
    CHECK_FALSE(decode(seal(R"({"type":"journal","format":"other")")));
    CHECK_FALSE(decode(seal(R"({"email":"a@x.com")")));
    CHECK_FALSE(decode(seal(R"(["type")")));
}

TEST_CASE("journal records: format 1 lines (sorted keys, no header) still decode") {
    // Written by zprov before the header record existed.
    const std::string v1 =
        R"({"action":"create","at":"2026-11-28T16:04:29Z","attempt":1,"day":"2026-11-28",)"
        R"("email":"katarzyna.muller0@example.com","line":2,"type":"intent","crc":"20613983"})";
    auto r = decode(v1);
    REQUIRE(r);
    auto& i = std::get<intent_record>(*r);
    CHECK(i.email == "katarzyna.muller0@example.com");
    CHECK(i.line == 2);
    CHECK(i.day == "2026-11-28");
}

TEST_CASE("journal records: a record type of a later version decodes as other_record") {
    auto r = decode(encode(other_record{"audit"}));
    REQUIRE(r);
    CHECK(std::get<other_record>(*r).type == "audit");
}

TEST_CASE("journal records: the steps after a create round-trip, a bad step phase is damage") {
    outcome_record o;
    o.at = "t";
    o.email = "d@x.com";
    o.what = outcome::created;
    o.id = "abc";
    o.group = step_due::owed;
    o.profile = step_due::deferred;
    auto back = round_trip(o);
    CHECK(back.group == step_due::owed);
    CHECK(back.profile == step_due::deferred);
    outcome_record bare;
    bare.email = "e@x.com";
    bare.what = outcome::created;
    CHECK(encode(bare).find("\"group\"") == std::string::npos);
    CHECK(round_trip(bare).group == step_due::none);

    step_record s;
    s.at = "t";
    s.email = "d@x.com";
    s.phase = step_phase::failed;
    s.group = true;
    s.id = "abc";
    s.http = 404;
    s.code = 4130;
    s.message = "HTTP 404: Group does not exist";
    auto step = round_trip(s);
    CHECK(step.phase == step_phase::failed);
    CHECK(step.group);
    CHECK_FALSE(step.profile);
    CHECK(step.id == "abc");
    CHECK(step.code == 4130);
    CHECK(step.message == s.message);

    CHECK_FALSE(decode(seal(R"({"type":"step","email":"d@x.com","phase":"maybe","steps":[])")));
    CHECK_FALSE(
        decode(seal(R"({"type":"step","email":"d@x.com","phase":"done","steps":["title"])")));
    CHECK_FALSE(decode(seal(R"({"type":"outcome","email":"d@x.com","outcome":"created",)"
                            R"("group":"later")")));
}

TEST_CASE("journal records: Zoom's state of a user (seen) and the digests of a done step "
          "round-trip, an unknown state or a bad digest is damage") {
    auto seen = round_trip(seen_record{"t", "a@x.com", "U1", zoom_state::active});
    CHECK(seen.email == "a@x.com");
    CHECK(seen.id == "U1");
    CHECK(seen.status == zoom_state::active);
    CHECK(round_trip(seen_record{"t", "a@x.com", "U1", zoom_state::gone}).status ==
          zoom_state::gone);
    CHECK(round_trip(seen_record{"t", "a@x.com", "U1", zoom_state::expired}).status ==
          zoom_state::expired);
    step_record moved;
    moved.at = "t";
    moved.email = "a@x.com";
    moved.phase = step_phase::done;
    moved.group = true;
    moved.group_id = "grp-9";
    CHECK(round_trip(moved).group_id == "grp-9");

    step_record s;
    s.at = "t";
    s.email = "a@x.com";
    s.phase = step_phase::done;
    s.group = s.profile = true;
    s.group_digest = 0x0000abcd;
    s.profile_digest = 0xfedcba98;
    CHECK(encode(s).find(R"("group_digest":"0000abcd")") != std::string::npos);
    auto step = round_trip(s);
    CHECK(step.group_digest == 0x0000abcd);
    CHECK(step.profile_digest == 0xfedcba98);
    s.group_digest = s.profile_digest = 0; // absent: what journals before digests hold
    CHECK(encode(s).find("digest") == std::string::npos);
    CHECK(round_trip(s).profile_digest == 0);

    CHECK_FALSE(decode(seal(R"({"type":"seen","email":"a@x.com","status":"asleep")")));
    CHECK_FALSE(decode(seal(R"({"type":"step","email":"a@x.com","phase":"done","steps":[],)"
                            R"("group_digest":"xyz")")));
    const std::string_view parts[] = {"a", "b"};
    const std::string_view joined[] = {"ab"};
    CHECK(step_digest(parts) != step_digest(joined)); // parts are kept apart
    CHECK(step_digest(parts) != 0);
}

TEST_CASE("journal records: every line decodes, however many long lines come before it") {
    // Lines over the decoder's 16 KiB buffer, one after the other (an invalid row keeps its
    // cells, a long comment column among them): the memory for one must not grow with the
    // number of long lines read before it.
    for (int i = 0; i < 64; ++i) {
        outcome_record r;
        r.email = "row" + std::to_string(i) + "@x.com";
        r.what = outcome::invalid;
        r.row = std::vector<std::string>{r.email, std::string(17000 + i, 'c')};
        auto back = round_trip(r);
        REQUIRE(back.row);
        CHECK(back.row->at(1).size() == 17000u + static_cast<unsigned>(i));
    }
    // As long as the CSV reader allows a line to be (16 MiB), escapes making it longer.
    outcome_record big;
    big.email = "big@x.com";
    big.what = outcome::invalid;
    big.row = std::vector<std::string>{big.email, std::string(16 << 20, '\x01')};
    CHECK(encode(big).size() > std::size_t{96} << 20);
    auto back = round_trip(big);
    REQUIRE(back.row);
    CHECK(back.row->at(1) == big.row->at(1));
    // And a short line after it still decodes.
    CHECK(round_trip(intent_record{"t", "a@x.com", 2, "d", create_action::create, 1}).line == 2);
}

TEST_CASE("journal records: what a webhook was told (notified) round-trips, a bad event is "
          "damage") {
    auto told = round_trip(notified_record{"t", "1a2b3c4d", false, "rows:3/0/0/abc;stop:;paused:"});
    CHECK(told.webhook == "1a2b3c4d");
    CHECK_FALSE(told.cleared);
    CHECK(told.fingerprint == "rows:3/0/0/abc;stop:;paused:");
    auto cleared = round_trip(notified_record{"t", "1a2b3c4d", true, ""});
    CHECK(cleared.cleared);
    CHECK(cleared.fingerprint.empty());
    CHECK_FALSE(decode(seal(R"({"type":"notified","at":"t","webhook":"1a","event":"maybe")")));
}

TEST_CASE("journal records: a call record keeps its time to the millisecond and its category") {
    auto c =
        round_trip(call_record{"2026-11-28T10:00:00Z", 1'764'324'000'123, rate_category::medium});
    CHECK(c.at_ms == 1'764'324'000'123);
    CHECK(c.category == rate_category::medium);
    CHECK(encode(c).find(R"("category":"Medium")") != std::string::npos);
    CHECK(round_trip(call_record{"x", 1, rate_category::light}).category == rate_category::light);
    // A category this version does not know damages the record (it could not be counted).
    CHECK_FALSE(decode(seal(R"({"type":"call","at":"x","at_ms":1,"category":"Heavy")")));
    CHECK_FALSE(decode(seal(R"({"type":"call","at":"x","at_ms":"soon","category":"Light")")));
}
