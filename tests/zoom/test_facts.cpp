// Zoom's facts (zprov_facts): rate limits by category, API calls, answer codes, and the
// code points counted as Chinese characters.
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"
#include "zprov/zoom/plans.hpp"
#include "zprov/zoom/user_info.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace zprov;

TEST_CASE("zoom facts: per-second limits by category - Light 4/30/80, Medium 2/20/60") {
    CHECK(per_second(plan::free, rate_category::light) == 4);
    CHECK(per_second(plan::pro, rate_category::light) == 30);
    CHECK(per_second(plan::business, rate_category::light) == 80);
    CHECK(per_second(plan::free, rate_category::medium) == 2);
    CHECK(per_second(plan::pro, rate_category::medium) == 20);
    CHECK(per_second(plan::business, rate_category::medium) == 60);
    CHECK(info_of(rate_category::light).name == "Light");
    CHECK(info_of(rate_category::medium).name == "Medium");
}

TEST_CASE("zoom facts: only create leaves the user pending") {
    for (const auto& a : action_table())
        CHECK(a.user_pending == (a.id == create_action::create));
}

TEST_CASE("zoom facts: each call zprov uses has its rate-limit category") {
    using zoom_api::category_of;
    CHECK(category_of("POST", "/users") == rate_category::light);
    CHECK(category_of("GET", "/users/ann@example.com") == rate_category::light);
    CHECK(category_of("PATCH", "/users/KDcuGIm1QgePTO8WbOqwIQ") == rate_category::light);
    CHECK(category_of("POST", "/accounts/abc/users") == rate_category::light);
    CHECK(category_of("GET", "/users") == rate_category::medium);
    CHECK(category_of("POST", "/groups/g1/members") == rate_category::medium);
    CHECK_FALSE(category_of("GET", "/users/"));
    CHECK_FALSE(category_of("GET", "/users/a/b"));
    CHECK_FALSE(category_of("PUT", "/users"));
}

TEST_CASE("zoom facts: answer codes are listed once, each with what it is about") {
    std::set<int> seen;
    for (const auto& row : zoom_code_table()) {
        CAPTURE(row.code);
        CHECK(seen.insert(row.code).second);
        CHECK_FALSE(row.meaning.empty());
    }
    CHECK(find_zoom_code(zoom_code::email_used)->about == code_subject::row);
    CHECK(find_zoom_code(zoom_code::invalid_token)->about == code_subject::token);
    CHECK(find_zoom_code(zoom_code::basic_seats_exhausted)->about == code_subject::account);
    CHECK_FALSE(find_zoom_code(1));
}

TEST_CASE("zoom facts: Chinese characters are the Han ideograph blocks") {
    for (std::size_t i = 1; i < chinese_character_ranges.size(); ++i)
        CHECK(chinese_character_ranges[i - 1].last < chinese_character_ranges[i].first);
    CHECK(is_chinese_character(U'\u4E00'));
    CHECK(is_chinese_character(U'\u9FFF'));
    CHECK(is_chinese_character(U'\u3400'));
    CHECK(is_chinese_character(U'\U00020000'));
    CHECK(is_chinese_character(U'\U000323AF'));
    CHECK_FALSE(is_chinese_character(U'\u4DC0')); // Yijing hexagram symbols
    CHECK_FALSE(is_chinese_character(U'\u3007')); // ideographic zero
    CHECK_FALSE(is_chinese_character(U'\u3005')); // iteration mark
    CHECK_FALSE(is_chinese_character(U'\u3042')); // hiragana
    CHECK_FALSE(is_chinese_character(U'\uAC00')); // Hangul
    CHECK_FALSE(is_chinese_character(U'\uFF21')); // fullwidth A
    CHECK_FALSE(is_chinese_character(U'a'));
}

TEST_CASE("zoom facts: user types") {
    CHECK(is_user_type(1));
    CHECK(is_user_type(99));
    CHECK_FALSE(is_user_type(3));
    CHECK(user_type_names() == "1 (Basic), 2 (Licensed), 4 (Unassigned), 99 (None)");
    // Zoom's schema still lists 99 but strikes it out.
    CHECK(is_deprecated_user_type(99));
    CHECK_FALSE(is_deprecated_user_type(2));
    CHECK(user_type_names(false) == "1 (Basic), 2 (Licensed), 4 (Unassigned)");
}

TEST_CASE("zoom facts: a path is built from checked segments - encoded, never a dot segment") {
    CHECK(zoom_api::path_segment("ann+1@x.com") == "ann%2B1%40x.com");
    CHECK(zoom_api::path_segment("a/b?c#d") == "a%2Fb%3Fc%23d");
    CHECK(zoom_api::path_segment("Zo\u00eb") == "Zo%C3%AB");
    CHECK(zoom_api::path_segment("plain-._~") == "plain-._~");
    CHECK(zoom_api::path_segment("...") == "...");
    for (const char* refused : {"", ".", ".."})
        CHECK_FALSE(zoom_api::path_segment(refused));
    // The builders take values as they are and encode them.
    CHECK(zoom_api::user_path("", "a@b.example") == "/users/a%40b.example");
    CHECK(zoom_api::user_path("S/1", "u1") == "/accounts/S%2F1/users/u1");
    CHECK(zoom_api::group_members_path("", "g 1") == "/groups/g%201/members");
    CHECK_THROWS_AS(zoom_api::user_path("SUB", ".."), std::invalid_argument);
    CHECK_THROWS_AS(zoom_api::user_path("SUB", ""), std::invalid_argument);
    CHECK_THROWS_AS(zoom_api::create_users_path(".."), std::invalid_argument);
    CHECK_THROWS_AS(zoom_api::list_groups_path("."), std::invalid_argument);
    CHECK_THROWS_AS(zoom_api::group_members_path("", ".."), std::invalid_argument);
}
