// UTF-8 checks for spreadsheet cells: well-formedness, length in code points (which is how
// Zoom counts a name's characters) and the code points themselves. Throws nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace zprov {

// The length of the well-formed UTF-8 sequence `p` starts with, given the `n` bytes there
// (n >= 1): 1 for ASCII; 0 when ill-formed (overlong forms, surrogates and values past
// U+10FFFF are); more than `n` when these bytes begin a sequence that more bytes may finish.
// Inline: it runs for every character of a sheet.
inline std::size_t utf8_sequence_at(const unsigned char* p, std::size_t n) {
    const unsigned char c = p[0];
    std::size_t need;
    unsigned char lo = 0x80, hi = 0xBF; // the second byte's range
    if (c < 0x80) {
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; // overlong
        hi = c == 0xED ? 0x9F : 0xBF; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80; // overlong
        hi = c == 0xF4 ? 0x8F : 0xBF; // past U+10FFFF
    } else {
        return 0;
    }
    if (n >= 2 && (p[1] < lo || p[1] > hi))
        return 0;
    for (std::size_t k = 2; k < need && k < n; ++k)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    return need;
}

struct decoded_code_point {
    char32_t value;
    std::size_t bytes; // its length in `text`, 1 to 4
};

// The code point `text` starts with, or std::nullopt when `text` is empty or does not start
// with a well-formed UTF-8 sequence (overlong forms, surrogates and values past U+10FFFF
// are ill-formed).
std::optional<decoded_code_point> utf8_decode_first(std::string_view text);

// Number of code points in `text`, or std::nullopt when it is not well-formed UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

} // namespace zprov
