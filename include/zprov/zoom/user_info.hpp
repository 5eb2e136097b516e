// Zoom's facts about the user_info of POST /users, shared by zprov and zoomsim: field
// limits, user types, and which code points are "Chinese characters" for the name
// limits. Facts only: each program checks values with its own code. Throws nothing.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

// zoom/users-create.openapi.json, user_info.
struct user_info_limits {
    static constexpr std::size_t email_max = 128;
    static constexpr std::size_t name_max = 64; // first_name, last_name (characters)
    static constexpr std::size_t name_chinese_max = 5;
    static constexpr std::size_t display_name_max = 128;
    static constexpr std::size_t display_name_chinese_max = 10;
    static constexpr std::size_t password_min = 8; // autoCreate only
    static constexpr std::size_t password_max = 32;
    // "It cannot contain consecutive characters ('12345678' or 'abcdefgh')": the documented
    // examples are runs of 8, so a run of 8 is refused and one of 7 is not.
    static constexpr std::size_t password_run_max = 7;
};

// PATCH /users/{userId}: the profile fields zprov sets after a create (zoom/FACTS.md, "Other
// calls"), as named in the request body. The lengths are those of Zoom's user-update
// schema for job_title, location and company. Zoom documents none for dept and cost_center:
// zprov holds them to 256 characters, the longest Zoom documents for any profile text
// (location), so that a spreadsheet's stray cell (a 200,000-character department) is refused
// with its line rather than sent. `manager` is the email or the display name of a user in
// the same account (at most 128, as those are).
struct profile_limits {
    static constexpr std::size_t job_title_max = 128;
    static constexpr std::size_t location_max = 256;
    static constexpr std::size_t company_max = 255;
    static constexpr std::size_t dept_max = location_max;        // chosen: Zoom says none
    static constexpr std::size_t cost_center_max = location_max; // chosen: Zoom says none
    static constexpr std::size_t unlimited = static_cast<std::size_t>(-1);
};
// The member of PATCH /users/{userId} that puts a user in a group ("the group that you would
// like to add a pending user to"; accepted for active users too).
inline constexpr std::string_view group_id_member = "group_id";

// User types Zoom takes; the one table of numbers and names. 99 (None) is struck out as
// deprecated in Zoom's schema, which still lists it, and only with ssoCreate
// (action_info::allows_type_none).
struct user_type_info {
    int number;
    std::string_view name;
    bool deprecated;
};
std::span<const user_type_info> user_type_table();
// The Licensed type, the one an account's seats limit.
inline constexpr int licensed_user_type = 2;
bool is_user_type(int number);
bool is_deprecated_user_type(int number);
// "1 (Basic), 2 (Licensed), ...", with or without the deprecated types.
std::string user_type_names(bool with_deprecated = true);

// What counts as a "Chinese character" for the name limits. Zoom does not say; we take the
// Han ideographs, which is also what Japanese kanji and Korean hanja are encoded as:
// - CJK Unified Ideographs (U+4E00-9FFF) and its Extensions A to I, through Unicode 15.1;
// - CJK Compatibility Ideographs (U+F900-FAFF, U+2F800-2FA1F): the same ideographs encoded
//   again for older Korean and Taiwanese character sets, which spreadsheets still carry.
// Not counted: radicals and strokes, CJK punctuation and symbols (including the iteration
// mark U+3005 and ideographic zero U+3007), kana, Hangul, Bopomofo, fullwidth Latin.
struct code_point_range {
    char32_t first, last; // inclusive
};
inline constexpr std::array chinese_character_ranges{
    code_point_range{0x3400, 0x4DBF},   // Extension A
    code_point_range{0x4E00, 0x9FFF},   // CJK Unified Ideographs
    code_point_range{0xF900, 0xFAFF},   // Compatibility Ideographs
    code_point_range{0x20000, 0x2A6DF}, // Extension B
    code_point_range{0x2A700, 0x2EBEF}, // Extensions C, D, E, F
    code_point_range{0x2EBF0, 0x2EE5F}, // Extension I
    code_point_range{0x2F800, 0x2FA1F}, // Compatibility Ideographs Supplement
    code_point_range{0x30000, 0x323AF}, // Extensions G, H
};

constexpr bool is_chinese_character(char32_t c) {
    for (const auto& range : chinese_character_ranges)
        if (c >= range.first && c <= range.last)
            return true;
    return false;
}

} // namespace zprov
