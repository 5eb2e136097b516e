#include "zprov/utf8.hpp"

namespace zprov {

std::optional<decoded_code_point> utf8_decode_first(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    unsigned char c = p[0];
    if (c < 0x80)
        return decoded_code_point{c, 1};
    std::size_t extra;
    char32_t value;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        extra = 1;
        value = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        extra = 2;
        value = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; // overlong
        else if (c == 0xED)
            hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        extra = 3;
        value = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; // overlong
        else if (c == 0xF4)
            hi = 0x8F; // past U+10FFFF
    } else {
        return std::nullopt;
    }
    if (text.size() <= extra)
        return std::nullopt;
    if (p[1] < lo || p[1] > hi)
        return std::nullopt;
    for (std::size_t i = 1; i <= extra; ++i) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return std::nullopt;
        value = (value << 6) | (p[i] & 0x3F);
    }
    return decoded_code_point{value, extra + 1};
}

std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    while (!text.empty()) {
        auto c = utf8_decode_first(text);
        if (!c)
            return std::nullopt;
        text.remove_prefix(c->bytes);
        ++count;
    }
    return count;
}

} // namespace zprov
