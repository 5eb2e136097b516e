// ASCII text primitives shared by zprov and zoomsim: case folding, case-blind comparison,
// trimming. Header-only and free of any rule about what a value means (no validation, no
// classification), so that zoomsim, the oracle of zprov's validation, may use it.
// Throws nothing but std::bad_alloc.
#pragma once

#include <string>
#include <string_view>

namespace zprov {

constexpr char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = ascii_lower(c);
    return out;
}

// Equal ignoring ASCII case.
constexpr bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

// Without the leading and trailing characters in `blanks` (spaces and tabs by default).
constexpr std::string_view trim(std::string_view s, std::string_view blanks = " \t") {
    const auto first = s.find_first_not_of(blanks);
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

} // namespace zprov
