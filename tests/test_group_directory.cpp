#include "zprov/run/group_directory.hpp"

#include <doctest/doctest.h>

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
    CHECK(*why == "User Group 'Sales EMEA' does not exist in the account; groups are: Sales, "
                  "Support");
    group_directory none;
    CHECK(*match_group(none, "Staff", id) ==
          "User Group 'Staff' does not exist in the account; groups are: none");
}
