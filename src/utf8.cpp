#include "zprov/utf8.hpp"

namespace zprov {

std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p != end) {
        unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            ++count;
            continue;
        }
        std::size_t extra;
        unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0)
                lo = 0xA0; // overlong
            else if (c == 0xED)
                hi = 0x9F; // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0)
                lo = 0x90; // overlong
            else if (c == 0xF4)
                hi = 0x8F; // past U+10FFFF
        } else {
            return std::nullopt;
        }
        if (static_cast<std::size_t>(end - p) <= extra)
            return std::nullopt;
        if (p[1] < lo || p[1] > hi)
            return std::nullopt;
        for (std::size_t i = 2; i <= extra; ++i)
            if (p[i] < 0x80 || p[i] > 0xBF)
                return std::nullopt;
        p += extra + 1;
        ++count;
    }
    return count;
}

} // namespace zprov
