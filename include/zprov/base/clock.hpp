// UTC dates and times as zprov writes them (ISO 8601, "2026-11-28T15:04:05Z") and the
// UTC-day arithmetic behind the daily create cap. Throws nothing; parsers return nullopt.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zprov {

using sys_seconds = std::chrono::sys_seconds;

sys_seconds now_utc();
// The time now in Unix milliseconds (the journal's at_ms).
std::int64_t now_unix_ms();
// "2026-11-28T15:04:05Z"
std::string iso8601(sys_seconds t);
// "2026-11-28"
std::string utc_day(sys_seconds t);
// 00:00 UTC of the day after t.
sys_seconds next_utc_midnight(sys_seconds t);
// "2026-11-28T15:04:05Z", with optional fraction and "+hh:mm" offset.
std::optional<sys_seconds> parse_iso8601(std::string_view text);
// "Sat, 28 Nov 2026 15:04:05 GMT" (RFC 9110 IMF-fixdate).
std::optional<sys_seconds> parse_http_date(std::string_view text);
// "2026-11-28 16:04:05 CET": the same instant in the machine's local time zone.
std::string local_time_text(sys_seconds t);

} // namespace zprov
