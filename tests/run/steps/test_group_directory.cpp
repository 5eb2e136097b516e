#include "zprov/run/steps/group_directory.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace zprov;

TEST_CASE("groups: a page of GET /groups is read, a malformed one is not") {
    auto page = read_groups_page(
        R"({"total_records":2,"groups":[{"id":"g1","name":"Sales","total_members":3},)"
        R"({"id":"g2","name":"Sales EMEA"}],"next_page_token":"t2"})");
    REQUIRE(page);
    REQUIRE(page->groups.size() == 2);
    CHECK(page->groups[1].id == "g2");
    CHECK(page->groups[1].name == "Sales EMEA");
    CHECK(page->next_page_token == "t2");
    auto last = read_groups_page(R"({"total_records":0,"groups":[],"next_page_token":""})");
    REQUIRE(last);
    CHECK(last->groups.empty());
    CHECK(last->next_page_token.empty());
    CHECK_FALSE(read_groups_page("not json"));
    CHECK_FALSE(read_groups_page(R"({"groups":{}})"));
    CHECK_FALSE(read_groups_page(R"({"groups":[{"id":7,"name":"x"}]})"));
    // An id that would be a dot segment (or nothing) in POST /groups/{groupId}/members.
    for (const char* id : {"..", ".", ""})
        CHECK_FALSE(
            read_groups_page(std::string(R"({"groups":[{"id":")") + id + R"(","name":"x"}]})"));
}

TEST_CASE("groups: a User Group cell matches a group by name, case-insensitive, or says why not") {
    group_directory groups;
    groups.add({"g1", "Sales"});
    groups.add({"g2", "Support"});
    std::string id;
    CHECK_FALSE(match_group(groups, "sALES", id));
    CHECK(id == "g1");
    auto why = match_group(groups, "Sales EMEA", id);
    REQUIRE(why);
    CHECK(*why == "User Group 'Sales EMEA' does not exist in the account (2 groups); the closest: "
                  "'Sales'");
    CHECK(*match_group(groups, "Staff", id) ==
          "User Group 'Staff' does not exist in the account (2 groups; none with a close name)");
    group_directory none;
    CHECK(*match_group(none, "Staff", id) ==
          "User Group 'Staff' does not exist in the account (it has no groups)");
}

TEST_CASE("groups: a missing group's message names a few close matches and the count, never "
          "every group") {
    group_directory groups;
    for (int i = 0; i < 10000; ++i)
        groups.add({"g" + std::to_string(i), "Team " + std::to_string(i)});
    groups.add({"s1", "Sales"});
    groups.add({"s2", "Sales EMEA"});
    groups.add({"s3", "Sales APAC"});
    std::string id;
    auto why = match_group(groups, "Slaes EMEA", id);
    REQUIRE(why);
    CHECK(why->size() < 300);
    CHECK(why->find("10,003 groups") != std::string::npos);
    CHECK(why->find("'Sales EMEA'") != std::string::npos);
    CHECK(why->find("Team 9999") == std::string::npos);
    // A name near many groups names a handful of them.
    auto near = match_group(groups, "Team 12345", id);
    REQUIRE(near);
    CHECK(near->size() < 300);
    CHECK(std::count(near->begin(), near->end(), '\'') <= 2 * 5 + 2);
}

TEST_CASE("groups: an exact name wins over a case-insensitive one, a case-insensitive tie is "
          "ambiguous") {
    group_directory groups;
    groups.add({"g1", "Sales"});
    groups.add({"g2", "sales"});
    groups.add({"g3", "Support"});
    groups.add({"g4", "SUPPORT"});
    std::string id;
    CHECK_FALSE(match_group(groups, "sales", id));
    CHECK(id == "g2");
    CHECK_FALSE(match_group(groups, "Sales", id));
    CHECK(id == "g1");
    auto why = match_group(groups, "SALES", id);
    REQUIRE(why);
    CHECK(*why == "User Group 'SALES' is ambiguous: the account has 'Sales' and 'sales', which "
                  "differ only in case; write the name exactly as in Zoom");
    CHECK(match_group(groups, "support", id).has_value());
}

TEST_CASE("groups: invisible characters in names are shown, only ASCII letters' case is "
          "ignored") {
    group_directory groups;
    groups.add({"g1", "Sales\u00a0"});   // a trailing no-break space
    groups.add({"g2", "Sup\u200bport"}); // a zero-width space
    groups.add({"g3", "Marketing "});    // a trailing space
    groups.add({"g4", "\u00c9quipe"});   // E with an acute accent
    std::string id;
    auto sales = match_group(groups, "Sales", id);
    REQUIRE(sales);
    CHECK(sales->find("'Sales<U+00A0>'") != std::string::npos);
    auto support = match_group(groups, "Support", id);
    REQUIRE(support);
    CHECK(support->find("'Sup<U+200B>port'") != std::string::npos);
    auto marketing = match_group(groups, "Marketing", id);
    REQUIRE(marketing);
    CHECK(marketing->find("'Marketing<U+0020>'") != std::string::npos);
    auto equipe = match_group(groups, "\u00e9quipe", id);
    REQUIRE(equipe);
    CHECK(equipe->find("ignoring the case of ASCII letters only") != std::string::npos);
    CHECK(equipe->find("'\u00c9quipe'") != std::string::npos);
}
