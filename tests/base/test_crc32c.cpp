#include "zprov/base/crc32c.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("crc32c matches the standard check value") {
    CHECK(zprov::crc32c("123456789") == 0xE3069283u);
    CHECK(zprov::crc32c("") == 0u);
    CHECK(zprov::crc32c("6789", zprov::crc32c("12345")) == 0xE3069283u);
}

TEST_CASE("crc32c: the hardware and table forms agree on every length and alignment") {
    std::string data;
    for (int i = 0; i < 300; ++i)
        data += static_cast<char>((i * 131 + 7) & 0xFF);
    for (std::size_t start = 0; start < 9; ++start)
        for (std::size_t len = 0; start + len <= data.size(); len += 7)
            CHECK(
                zprov::crc32c(std::string_view(data).substr(start, len), 0x1234u) ==
                zprov::detail::crc32c_portable(std::string_view(data).substr(start, len), 0x1234u));
    CHECK(zprov::detail::crc32c_portable("123456789") == 0xE3069283u);
}
