// Small ASCII text helpers shared by the CSV, HTTP and simulator code: case folding for
// headers and identifiers, trimming of spaces and tabs, quoting for a shell or a terminal.
// Throws nothing but std::bad_alloc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zprov {

constexpr char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view s);

// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// Without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// `s` fit to print on a terminal: control characters (C0 but tab, DEL, and C1 encoded in
// UTF-8) become visible escapes ("\x1b", "\u009b"), so that text from Zoom or from a CSV
// cannot move the cursor, clear the screen or set the window title. Newlines are escaped
// too: one message stays one line.
std::string terminal_safe(std::string_view s);

// `s` as one URL path segment: every byte but RFC 3986's unreserved characters as %XX
// ("ann+1@x.com" -> "ann%2B1%40x.com").
std::string percent_encode(std::string_view s);

// `s` as one word for a POSIX shell: as is when it is plain, else in single quotes.
std::string shell_quote(const std::string& s);
// 1234567 as "1,234,567".
std::string with_commas(std::int64_t n);

} // namespace zprov
