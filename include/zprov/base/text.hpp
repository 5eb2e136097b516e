// Small text helpers of the CSV and HTTP code: trimming of Unicode's spaces, quoting for a
// shell or a terminal, characters that do not show made visible; the ASCII primitives (case
// folding, trimming of spaces and tabs) are ascii.hpp's, which zoomsim shares.
// Throws nothing but std::bad_alloc.
#pragma once

#include "zprov/base/ascii.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace zprov {

// Without leading and trailing white space, Unicode's too (no-break, narrow no-break, em,
// ideographic spaces, ...) and the zero-width spaces a copy from a web page or a document
// leaves around a spreadsheet cell's text: padding, never content. Text that is not
// well-formed UTF-8 is trimmed of ASCII spaces and tabs only where it is broken.
std::string_view trim_spaces(std::string_view s);

// `s` with the characters that do not show written as "<U+00A0>": Unicode spaces, zero-width
// and directional marks, fillers, and an ASCII space at either end, so that a message shows
// why two names that look alike differ.
std::string visible_text(std::string_view s);

// `s` fit to print on a terminal: control characters (C0 but tab, DEL, and C1 encoded in
// UTF-8) become visible escapes ("\x1b", "\u009b"), so that text from Zoom or from a CSV
// cannot move the cursor, clear the screen or set the window title. Newlines are escaped
// too: one message stays one line.
std::string terminal_safe(std::string_view s);

// `s` as one word for a POSIX shell: as is when it is plain, else in single quotes.
std::string shell_quote(const std::string& s);
// 1234567 as "1,234,567".
std::string with_commas(std::int64_t n);

} // namespace zprov
