// The journal's line framing: one JSON object per line whose last member is a CRC32C of
// the text before it, {"type":"intent",...,"crc":"1a2b3c4d"}\n, so that a torn or damaged
// line is told from a good one. Throws only std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zprov {

// Turns `object_text` (a JSON object's text) into a whole line: the checksum member goes
// last, then the newline.
void seal_line(std::string& object_text);

// The text of `line` (with or without its newline) when its checksum holds, else
// std::nullopt.
std::optional<std::string_view> checked_text(std::string_view line);

} // namespace zprov
