#include "zprov/journal/invitations.hpp"

#include <doctest/doctest.h>

using namespace zprov;

namespace {
void created(journal_summary& s, const std::string& email, const std::string& at,
             zoom_state zoom = zoom_state::pending) {
    apply_record(s, intent_record{at, email, 2, at.substr(0, 10), create_action::create, 1});
    outcome_record r;
    r.at = at;
    r.email = email;
    r.what = outcome::created;
    r.id = "id-" + email;
    r.zoom_status = std::string(name_of(zoom));
    apply_record(s, r);
}

sys_seconds at(const std::string& text) {
    return *parse_iso8601(text);
}
} // namespace

TEST_CASE("invitations: pending users created more than N days ago, oldest first, active, "
          "gone, in doubt and found (409) users are not stale") {
    journal_summary s;
    created(s, "late@example.com", "2026-10-02T09:00:00Z");
    created(s, "early@example.com", "2026-10-01T09:00:00Z");
    created(s, "recent@example.com", "2026-11-20T09:00:00Z");
    created(s, "accepted@example.com", "2026-10-01T09:00:00Z");
    apply_record(
        s, seen_record{"2026-10-05T00:00:00Z", "accepted@example.com", "", zoom_state::active});
    created(s, "deleted@example.com", "2026-10-01T09:00:00Z");
    apply_record(s,
                 seen_record{"2026-10-05T00:00:00Z", "deleted@example.com", "", zoom_state::gone});
    created(s, "auto@example.com", "2026-10-01T09:00:00Z", zoom_state::active);
    created(s, "doubt@example.com", "2026-10-01T09:00:00Z");
    apply_record(s, intent_record{"2026-10-03T00:00:00Z", "doubt@example.com", 2, "2026-10-03",
                                  create_action::create, 1});
    outcome_record found;
    found.at = "2026-10-01T09:00:00Z";
    found.email = "found@example.com";
    found.what = outcome::exists;
    found.zoom_status = "pending";
    apply_record(s, found);

    auto stale = stale_invitations(s, at("2026-11-28T12:00:00Z"), 25);
    REQUIRE(stale.size() == 2);
    CHECK(stale[0].email == "early@example.com");
    CHECK(stale[0].created == at("2026-10-01T09:00:00Z"));
    CHECK(stale[1].email == "late@example.com");
    // The day boundary: more than N whole days.
    CHECK(stale_invitations(s, at("2026-10-26T09:00:00Z"), 25).empty());
    CHECK(stale_invitations(s, at("2026-10-26T09:00:01Z"), 25).size() == 1);
}

TEST_CASE("invitations: a re-invite's records - intent (DELETE in doubt), deleted (the row is "
          "to be created again), gone (not created again), failed (stays pending)") {
    for (auto phase : {reinvite_phase::intent, reinvite_phase::deleted, reinvite_phase::gone,
                       reinvite_phase::failed}) {
        reinvite_record r{"2026-11-28T10:00:00Z", "a@example.com", "U1", phase, 404, 1001, "x"};
        auto decoded = decode(encode(r));
        REQUIRE(decoded);
        const auto& back = std::get<reinvite_record>(*decoded);
        CHECK(back.phase == phase);
        CHECK(back.id == "U1");
        CHECK(back.code == 1001);
    }
    journal_summary s;
    for (const auto* email : {"a@example.com", "b@example.com", "c@example.com"})
        created(s, email, "2026-10-01T09:00:00Z");
    auto record = [&](const char* email, reinvite_phase phase) {
        apply_record(s, reinvite_record{"2026-11-28T10:00:00Z", email, "id", phase, 0, {}, ""});
    };
    record("a@example.com", reinvite_phase::intent);
    record("b@example.com", reinvite_phase::intent);
    record("c@example.com", reinvite_phase::intent);
    CHECK(s.deletes_in_doubt.size() == 3);
    CHECK(s.deletes_in_doubt.at("a@example.com") == "id");
    record("a@example.com", reinvite_phase::deleted);
    record("b@example.com", reinvite_phase::gone);
    record("c@example.com", reinvite_phase::failed);
    CHECK(s.deletes_in_doubt.empty());
    const auto& a = s.rows.at("a@example.com");
    CHECK_FALSE(a.last);
    CHECK(a.zoom == zoom_state::unknown);
    CHECK(s.reinvited == 1);
    CHECK(s.counts.created == 2);
    CHECK(s.counts.pending == 1); // to be sent again
    CHECK(s.rows.at("b@example.com").zoom == zoom_state::gone);
    CHECK(s.rows.at("c@example.com").zoom == zoom_state::pending);
    // Only b's and c's creates are stale now; b is gone: only c.
    auto stale = stale_invitations(s, at("2026-11-28T12:00:00Z"), 25);
    REQUIRE(stale.size() == 1);
    CHECK(stale[0].email == "c@example.com");
    // A record for a row this journal did not create changes nothing.
    record("other@example.com", reinvite_phase::intent);
    CHECK(s.deletes_in_doubt.empty());
}
