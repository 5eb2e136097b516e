#include "zprov/journal/replay.hpp"
#include "zprov/journal/line.hpp"
#include "zprov/journal/writer.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sys/stat.h>

using namespace zprov;
using zprov::test::slurp;

namespace {
intent_record intent(const std::string& email, unsigned line,
                     const std::string& day = "2026-11-28") {
    return {"2026-11-28T10:00:00Z", email, line, day, create_action::create, 1};
}

outcome_record result(const std::string& email, outcome what) {
    outcome_record r;
    r.email = email;
    r.what = what;
    r.line = 2;
    return r;
}

settled_record settled(const std::string& email) {
    return {"2026-11-28T10:00:01Z", email, "2026-11-28", create_action::create, 429, "HTTP 429"};
}

auto ignore = [](const std::string&) {};
} // namespace

TEST_CASE("journal replay: outcomes, open intents and identity by lower-cased email") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    {
        journal_writer w(path, ignore);
        w.append(intent("a@example.com", 2));
        w.append(result("a@example.com", outcome::created));
        w.append(intent("b@example.com", 3));
        w.append(result("b@example.com", outcome::failed));
        w.append(intent("b@example.com", 3));
        w.append(intent("c@example.com", 4, "2026-11-27"));
    }
    auto s = read_journal(path);
    CHECK(s.records == 7); // the header record and six events
    CHECK(s.rows.at("a@example.com").last == outcome::created);
    CHECK_FALSE(s.rows.at("a@example.com").open_intent);
    CHECK(s.rows.at("b@example.com").open_intent);
    CHECK(s.rows.at("b@example.com").attempts == 2);
    CHECK(s.rows.at("c@example.com").ordinal == 2);
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

TEST_CASE("journal: a settled intent gives its quota back and leaves the row pending") {
    test::temp_dir dir;
    journal_writer w(dir.path() + "/j.journal", ignore);
    w.append(intent("a@example.com", 2));
    w.append(intent("b@example.com", 3));
    CHECK(w.summary().creates_by_day.at("2026-11-28") == 2);
    w.append(settled("a@example.com"));
    CHECK(w.summary().creates_by_day.at("2026-11-28") == 1);
    const auto& a = w.summary().rows.at("a@example.com");
    CHECK_FALSE(a.open_intent);
    CHECK_FALSE(a.last);
    CHECK(shown_state(a) == "pending");
    auto c = count_outcomes(w.summary());
    CHECK(c.in_doubt == 1);
    CHECK(c.pending == 1);
    // Settling twice gives nothing back twice.
    w.append(settled("a@example.com"));
    CHECK(w.summary().creates_by_day.at("2026-11-28") == 1);
    // A settled retry of a failed row leaves it failed.
    w.append(result("b@example.com", outcome::failed));
    w.append(intent("b@example.com", 3));
    w.append(settled("b@example.com"));
    CHECK(shown_state(w.summary().rows.at("b@example.com")) == "failed");
    // The counts kept as records are applied match the rows' states.
    std::map<std::string_view, std::int64_t> states;
    for (const auto& [key, row] : w.summary().rows)
        ++states[shown_state(row)];
    auto kept = to_json(count_outcomes(w.summary()));
    for (const auto& [name, n] : kept.items())
        CHECK_MESSAGE(n == states[name], name);
}

TEST_CASE("journal: pauses are remembered until a resume record") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    journal_writer w(path, ignore);
    w.append(pause_record{"t", "2026-11-29T00:00:00Z", "daily cap"});
    REQUIRE(w.summary().pause);
    CHECK(iso8601(w.summary().pause->until) == "2026-11-29T00:00:00Z");
    w.append(resume_record{"t"});
    CHECK_FALSE(w.summary().pause);
}

TEST_CASE("journal replay: the writer's summary and a fresh replay agree, escapes included") {
    test::temp_dir dir;
    auto path = dir.path() + "/j.journal";
    journal_writer w(path, ignore);
    run_record run;
    run.header = {"E\"mail", "Name, first"};
    run.daily_cap = 50;
    w.append(run);
    w.append(pause_record{"t", "2026-11-29T00:00:00Z", "Zoom said \"daily\" \\ cap"});
    w.append(intent("a@example.com", 7));
    auto r = result("a@example.com", outcome::rejected);
    r.line.reset();
    r.row = std::vector<std::string>{"a,b", "{\"}"};
    w.append(r);
    w.append(end_record{"t", 1, R"({"requests":1})"});

    auto s = read_journal(path, {.details = true});
    CHECK(s.records == w.summary().records);
    REQUIRE(s.pause);
    CHECK(s.pause->reason == "Zoom said \"daily\" \\ cap");
    CHECK(s.pause->reason == w.summary().pause->reason);
    CHECK(s.header == run.header);
    CHECK(s.last_run->daily_cap == 50);
    const auto& a = s.rows.at("a@example.com");
    CHECK(a.last == outcome::rejected);
    CHECK(a.line == 7); // an outcome without a line keeps the intent's
    REQUIRE(s.details.at(a.ordinal).cells);
    CHECK(*s.details.at(a.ordinal).cells == *r.row);
    CHECK(s.in_order.at(a.ordinal)->first == "a@example.com");
    CHECK(w.summary().rows.at("a@example.com").last == outcome::rejected);
    CHECK(w.summary().details.empty()); // the writer keeps no details
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

TEST_CASE("journal: a row in doubt keeps the time of its first unanswered intent, elsewhere is "
          "counted and survives a replay") {
    journal_summary s;
    apply_record(s, intent("a@example.com", 2));
    auto later = intent("a@example.com", 2);
    later.at = "2026-11-28T11:00:00Z";
    apply_record(s, later);
    const auto& row = s.rows.at("a@example.com");
    CHECK(row.open_intent);
    CHECK(row.since == parse_iso8601("2026-11-28T10:00:00Z")->time_since_epoch().count());
    auto r = result("a@example.com", outcome::elsewhere);
    r.zoom_status = "active";
    auto decoded = decode(encode(r));
    REQUIRE(decoded);
    CHECK(std::get<outcome_record>(*decoded).zoom_status == "active");
    apply_record(s, std::move(*decoded));
    CHECK(s.counts.elsewhere == 1);
    CHECK(to_json(s.counts)["elsewhere"] == 1);
    CHECK(info_of(outcome::elsewhere).problem);
}

TEST_CASE("journal replay: the steps after a create - owed, in doubt, done, failed, deferred") {
    journal_summary s;
    auto created = [](const std::string& email, step_due group, step_due profile) {
        auto r = result(email, outcome::created);
        r.id = "id-" + email;
        r.group = group;
        r.profile = profile;
        return r;
    };
    auto step = [](const std::string& email, step_phase phase, bool group, bool profile) {
        step_record r;
        r.email = email;
        r.phase = phase;
        r.group = group;
        r.profile = profile;
        return r;
    };
    apply_record(s, created("a@x.com", step_due::owed, step_due::deferred));
    apply_record(s, created("b@x.com", step_due::owed, step_due::owed));
    apply_record(s, created("c@x.com", step_due::none, step_due::none)); // nothing to do
    apply_record(s, result("d@x.com", outcome::exists)); // no id: nothing to send it
    CHECK(s.steps.size() == 2);
    CHECK(s.steps.at("a@x.com").user_id == "id-a@x.com");
    CHECK(s.steps.at("a@x.com").due());

    apply_record(s, step("a@x.com", step_phase::intent, true, false));
    CHECK(s.steps.at("a@x.com").group == step_status::in_doubt);
    CHECK(s.steps.at("a@x.com").due()); // in doubt: sent again
    apply_record(s, step("a@x.com", step_phase::done, true, false));
    CHECK_FALSE(s.steps.at("a@x.com").due());
    CHECK(s.steps.at("a@x.com").profile == step_status::deferred);

    apply_record(s, step("b@x.com", step_phase::intent, true, true));
    apply_record(s, step("b@x.com", step_phase::failed, true, true));
    CHECK(s.steps.at("b@x.com").group == step_status::owed);
    apply_record(s, step("x@x.com", step_phase::done, true, true)); // unknown row: ignored
    CHECK(s.steps.size() == 2);

    auto c = count_steps(s);
    CHECK(c.groups_set == 1);
    CHECK(c.groups_due == 1);
    CHECK(c.profiles_applied == 0);
    CHECK(c.profiles_deferred == 1);
    CHECK(c.profiles_due == 1);
    CHECK(to_json(c)["profiles_deferred"] == 1);
}

TEST_CASE("journal replay: Zoom's state of a user - pending until seen active, which makes the "
          "deferred profile owed, gone ends its steps, digests of done steps") {
    journal_summary s;
    auto created = [](const std::string& email, const std::string& zoom_status) {
        auto r = result(email, outcome::created);
        r.id = "id-" + email;
        r.group = step_due::owed;
        r.profile = step_due::deferred;
        r.zoom_status = zoom_status;
        return r;
    };
    apply_record(s, created("a@x.com", "pending"));
    apply_record(s, created("b@x.com", "")); // written before the state was: deferred = pending
    auto exists = result("c@x.com", outcome::exists);
    exists.id = "id-c";
    exists.zoom_status = "active";
    apply_record(s, exists);
    CHECK(s.steps.at("a@x.com").zoom == zoom_state::pending);
    CHECK(s.steps.at("b@x.com").zoom == zoom_state::pending);
    CHECK(s.steps.at("c@x.com").existed);
    auto c = count_steps(s);
    CHECK(c.users_pending == 2);
    CHECK(c.users_active == 1);

    apply_record(s, seen_record{"t", "a@x.com", "id-a@x.com", zoom_state::active});
    CHECK(s.steps.at("a@x.com").zoom == zoom_state::active);
    CHECK(s.steps.at("a@x.com").profile == step_status::owed);
    CHECK(s.steps.at("a@x.com").due());

    step_record done;
    done.email = "a@x.com";
    done.phase = step_phase::done;
    done.group = done.profile = true;
    done.group_digest = 7;
    done.profile_digest = 9;
    apply_record(s, done);
    CHECK(s.steps.at("a@x.com").group_digest == 7);
    CHECK(s.steps.at("a@x.com").profile_digest == 9);
    CHECK(s.steps.at("a@x.com").profile == step_status::done);

    // A row created without steps: its id is learnt by a seen record, which gives it an entry.
    auto plain = result("e@x.com", outcome::created);
    plain.id = "id-e";
    plain.zoom_status = "active";
    apply_record(s, plain);
    CHECK_FALSE(s.steps.contains("e@x.com"));
    CHECK(s.rows.at("e@x.com").zoom == zoom_state::active);
    apply_record(s, seen_record{"t", "e@x.com", "id-e", zoom_state::active});
    CHECK(s.steps.at("e@x.com").user_id == "id-e");
    CHECK_FALSE(s.steps.at("e@x.com").due());
    apply_record(s, seen_record{"t", "nobody@x.com", "id-n", zoom_state::active}); // ignored
    CHECK_FALSE(s.steps.contains("nobody@x.com"));

    apply_record(s, seen_record{"t", "b@x.com", "id-b@x.com", zoom_state::gone});
    CHECK_FALSE(s.steps.at("b@x.com").due()); // its group was owed: never sent again
    c = count_steps(s);
    CHECK(c.users_pending == 0);
    CHECK(c.users_active == 3);
    CHECK(c.users_gone == 1);
    CHECK(c.groups_due == 0);
    CHECK(to_json(c)["users_gone"] == 1);
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
