// UTF-8 checks for spreadsheet cells: well-formedness, length in code points (which is how
// Zoom counts a name's characters) and the code points themselves. Throws nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace zprov {

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
