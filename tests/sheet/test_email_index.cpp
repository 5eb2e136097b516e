#include "zprov/sheet/email_index.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("email_index reports the first line of a repeated key") {
    zprov::email_index index;
    CHECK_FALSE(index.insert("a@example.com", 2));
    CHECK_FALSE(index.insert("b@example.com", 3));
    auto again = index.insert("a@example.com", 9);
    REQUIRE(again);
    CHECK(*again == 2u);
    CHECK(index.size() == 2u);
    CHECK(index.find("b@example.com") == 3u);
    CHECK_FALSE(index.find("c@example.com"));
}

TEST_CASE("email_index keeps every key across growth") {
    zprov::email_index index;
    const std::uint32_t n = 50'000;
    for (std::uint32_t i = 0; i < n; ++i)
        REQUIRE_FALSE(index.insert("user" + std::to_string(i) + "@example.com", i + 2));
    CHECK(index.size() == n);
    for (std::uint32_t i = 0; i < n; i += 997)
        CHECK(index.find("user" + std::to_string(i) + "@example.com") == i + 2);
    CHECK_FALSE(index.find("user" + std::to_string(n) + "@example.com"));
}
