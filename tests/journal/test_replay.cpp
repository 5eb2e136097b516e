// The journal's replay: outcomes and open intents by lower-cased email, settled intents,
// pauses, the writer's summary, rows in doubt, the steps after a create and Zoom's state of
// a user. A journal that cannot be read whole is test_replay_damage.cpp.
#include "zprov/journal/line.hpp"
#include "zprov/journal/replay.hpp"
#include "zprov/journal/writer.hpp"

#include "journal/replay_records.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <map>
#include <sys/stat.h>

using namespace zprov;
using namespace zprov::test::replay;
using zprov::test::slurp;

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

TEST_CASE("journal replay: the last requests' times by rate-limit category, for the next run's "
          "pacers") {
    test::temp_dir dir;
    journal_writer w(dir.path() + "/j.journal", ignore);
    auto timed = [](const std::string& email, std::int64_t ms) {
        auto r = intent(email, 2);
        r.at_ms = ms;
        return r;
    };
    w.append(intent("untimed@example.com", 2)); // older records carry no time: not counted
    w.append(timed("a@example.com", 10'000));
    w.append(call_record{"x", 10'500, rate_category::medium});
    w.append(call_record{"x", 11'000, rate_category::light});
    w.append(timed("b@example.com", 13'500));
    w.append(call_record{"x", 13'900, rate_category::medium});
    const auto& recent = w.summary().recent_sends_ms;
    // Within journal_summary::recent_sends_span (3 s) of each category's newest.
    CHECK(recent[static_cast<std::size_t>(rate_category::light)] ==
          std::deque<std::int64_t>{11'000, 13'500});
    CHECK(recent[static_cast<std::size_t>(rate_category::medium)] ==
          std::deque<std::int64_t>{13'900});
}

TEST_CASE("journal replay: the id a re-invite may delete is this journal's create's, only while "
          "its user is known pending") {
    journal_summary s;
    auto created = [](const std::string& email, const std::string& id,
                      const std::string& zoom_status) {
        auto r = result(email, outcome::created);
        r.id = id;
        r.zoom_status = zoom_status;
        return r;
    };
    auto pending_id = [&s](const std::string& email) {
        return std::string(s.pending_id(s.rows.at(email)));
    };
    apply_record(s, created("a@x.com", "KDcuGIm1QgePTO8WbOqwIQ", "pending"));
    apply_record(s, created("b@x.com", "id-b", "pending"));
    apply_record(s, created("c@x.com", "id-c", "active")); // custCreate: never pending
    apply_record(s, created("d@x.com", "", "pending"));    // no id recorded: none to delete
    auto found = result("e@x.com", outcome::exists);       // found, not created: never
    found.id = "id-e";
    found.zoom_status = "pending";
    apply_record(s, found);
    CHECK(pending_id("a@x.com") == "KDcuGIm1QgePTO8WbOqwIQ");
    CHECK(pending_id("b@x.com") == "id-b");
    CHECK(pending_id("c@x.com").empty());
    CHECK(pending_id("d@x.com").empty());
    CHECK(pending_id("e@x.com").empty());

    // Seen active: no longer one to delete; a later create's answer names the id kept.
    apply_record(s, seen_record{"t", "a@x.com", "KDcuGIm1QgePTO8WbOqwIQ", zoom_state::active});
    CHECK(pending_id("a@x.com").empty());
    CHECK(pending_id("b@x.com") == "id-b");
    apply_record(s, created("a@x.com", "id-a2", "pending"));
    CHECK(pending_id("a@x.com") == "id-a2");

    // Deleted by a re-invite to be created again: none until the new create answers.
    apply_record(s, reinvite_record{"t", "b@x.com", "id-b", reinvite_phase::deleted, 0, {}, {}});
    CHECK(pending_id("b@x.com").empty());
    CHECK(s.reinvite_deleted.at("b@x.com") == "id-b");
    apply_record(s, created("b@x.com", "id-b2", "pending"));
    CHECK(pending_id("b@x.com") == "id-b2");
    // Any other outcome lets it go.
    apply_record(s, result("b@x.com", outcome::failed));
    CHECK(pending_id("b@x.com").empty());
    CHECK(pending_id("a@x.com") == "id-a2");
}
