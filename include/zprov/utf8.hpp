// UTF-8 checks for spreadsheet cells: well-formedness and length in code points, which is
// how Zoom counts a name's characters. Throws nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace zprov {

// Number of code points in `text`, or std::nullopt when it is not well-formed UTF-8
// (overlong forms, surrogates and values past U+10FFFF are ill-formed).
std::optional<std::size_t> utf8_length(std::string_view text);

} // namespace zprov
