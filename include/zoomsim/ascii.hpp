// zoomsim's own small ASCII text helpers (case folding, trimming), so that it needs nothing
// of zprov but Zoom's facts. Throws only std::bad_alloc.
#pragma once

#include <string>
#include <string_view>

namespace zoomsim {

constexpr char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view s);

// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// Without the leading and trailing characters in `blanks`.
std::string_view trim(std::string_view s, std::string_view blanks = " \t");

} // namespace zoomsim
