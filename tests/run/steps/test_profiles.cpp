#include "zprov/run/steps/profiles.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace zprov;

TEST_CASE("profile steps: the PATCH body holds the group and only the profile fields given") {
    user_record u;
    u.email = "ann@example.com";
    u.group = "Sales";
    u.group_id = "g1";
    u.profile[profile_index(field::dept)] = "Sales, EMEA";
    u.profile[profile_index(field::job_title)] = "Rep";
    u.profile[profile_index(field::manager)] = "bob@example.com";
    CHECK(nlohmann::json::parse(profile_patch_body(u, true, false)) ==
          nlohmann::json{{"group_id", "g1"}});
    CHECK(nlohmann::json::parse(profile_patch_body(u, true, true)) ==
          nlohmann::json{{"group_id", "g1"},
                         {"dept", "Sales, EMEA"},
                         {"job_title", "Rep"},
                         {"manager", "bob@example.com"}});
    CHECK(nlohmann::json::parse(profile_patch_body(u, false, true)).count("group_id") == 0);
}
