#include "zprov/run/step_plan.hpp"

#include <doctest/doctest.h>

using namespace zprov;

namespace {
user_record hire(const std::string& group_id, const std::string& dept) {
    user_record u;
    u.email = "a@x.com";
    u.group_id = group_id;
    u.profile[profile_index(field::dept)] = dept;
    return u;
}
} // namespace

TEST_CASE("step plan: digests change with the group and with any profile field, and are 0 for "
          "none") {
    CHECK(group_digest(hire("", "")) == 0);
    CHECK(profile_digest(hire("", "")) == 0);
    CHECK(group_digest(hire("G1", "")) != group_digest(hire("G2", "")));
    CHECK(profile_digest(hire("", "Sales")) != profile_digest(hire("", "Support")));
    CHECK(profile_digest(hire("G1", "Sales")) == profile_digest(hire("G2", "Sales")));
    auto titled = hire("", "Sales");
    titled.profile[profile_index(field::job_title)] = "Rep";
    CHECK(profile_digest(titled) != profile_digest(hire("", "Sales")));
}

TEST_CASE("step plan: what the sheet changes for a user the journal knows") {
    row_steps steps;
    steps.user_id = "U1";
    steps.zoom = zoom_state::active;
    steps.group = step_status::done;
    steps.profile = step_status::done;
    const auto applied = hire("G1", "Sales");
    steps.group_digest = group_digest(applied);
    steps.profile_digest = profile_digest(applied);

    CHECK_FALSE(changed_steps(steps, applied, false).any()); // the same sheet
    auto moved = changed_steps(steps, hire("G2", "Sales"), false);
    CHECK(moved.group);
    CHECK_FALSE(moved.profile);
    CHECK(changed_steps(steps, hire("G1", "Support"), false).profile);
    // A value cleared in the sheet is not sent (Zoom has no way to unset it here).
    CHECK_FALSE(changed_steps(steps, hire("", ""), false).any());

    // Done before digests were recorded: nothing to compare with, left alone.
    auto old = steps;
    old.group_digest = old.profile_digest = 0;
    CHECK_FALSE(changed_steps(old, hire("G2", "Support"), false).any());

    // Owed or deferred parts are sent with the sheet's values anyway: not a change.
    auto deferred = steps;
    deferred.profile = step_status::deferred;
    CHECK_FALSE(changed_steps(deferred, hire("G1", "Support"), false).profile);

    // Created without a profile, and the sheet gives one now.
    auto bare = steps;
    bare.profile = step_status::none;
    bare.profile_digest = 0;
    CHECK(changed_steps(bare, hire("G1", "Sales"), false).profile);

    // Found in the account (409): only with --update-existing.
    row_steps existing;
    existing.user_id = "U2";
    existing.existed = true;
    existing.zoom = zoom_state::active;
    CHECK_FALSE(changed_steps(existing, applied, false).any());
    auto wanted = changed_steps(existing, applied, true);
    CHECK(wanted.group);
    CHECK(wanted.profile);

    auto gone = steps;
    gone.zoom = zoom_state::gone;
    CHECK_FALSE(changed_steps(gone, hire("G2", "Support"), true).any());
}
