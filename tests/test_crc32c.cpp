#include "zprov/crc32c.hpp"

#include <doctest/doctest.h>

TEST_CASE("crc32c matches the standard check value") {
    CHECK(zprov::crc32c("123456789") == 0xE3069283u);
    CHECK(zprov::crc32c("") == 0u);
    CHECK(zprov::crc32c("6789", zprov::crc32c("12345")) == 0xE3069283u);
}
