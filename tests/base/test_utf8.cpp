#include "zprov/base/utf8.hpp"

#include <doctest/doctest.h>

#include <string>

using zprov::utf8_length;

TEST_CASE("utf8_length counts code points, not bytes") {
    CHECK(utf8_length("") == 0u);
    CHECK(utf8_length("Zoë") == 3u);
    CHECK(utf8_length("王小明") == 3u);
    CHECK(utf8_length("😀a") == 2u);
    CHECK(utf8_length("Ωμέγα") == 5u);
}

TEST_CASE("utf8_length refuses ill-formed UTF-8") {
    CHECK_FALSE(utf8_length("\xC3"));             // truncated
    CHECK_FALSE(utf8_length("caf\xE9"));          // Latin-1 é
    CHECK_FALSE(utf8_length("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(utf8_length("\xE0\x80\xAF"));     // overlong
    CHECK_FALSE(utf8_length("\xED\xA0\x80"));     // surrogate
    CHECK_FALSE(utf8_length("\xF4\x90\x80\x80")); // past U+10FFFF
    CHECK_FALSE(utf8_length("\x80"));             // lone continuation
    CHECK_FALSE(utf8_length("\xE4\xB8"));         // truncated 3-byte
}

TEST_CASE("utf8_decode_first gives the code point and its length") {
    using zprov::utf8_decode_first;
    CHECK(utf8_decode_first("a")->value == U'a');
    CHECK(utf8_decode_first("\xC3\xAB")->value == U'\u00EB');
    CHECK(utf8_decode_first("\xE7\x8E\x8B!")->value == U'\u738B');
    CHECK(utf8_decode_first("\xE7\x8E\x8B!")->bytes == 3u);
    CHECK(utf8_decode_first("\xF0\xA0\x80\x80")->value == U'\U00020000');
    CHECK(utf8_decode_first("\xF0\xA0\x80\x80")->bytes == 4u);
    CHECK_FALSE(utf8_decode_first(""));
    CHECK_FALSE(utf8_decode_first("\xED\xA0\x80"));
}
