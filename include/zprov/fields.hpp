// The user fields zprov sends to Zoom, and the one table of spreadsheet column aliases
// that map a CSV header to a field, and the table of names that mark a column as secret.
// Throws nothing but std::bad_alloc.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

enum class field { email, first_name, last_name, display_name, type, password };
inline constexpr std::size_t field_count = 6;

struct field_info {
    field id;
    std::string_view name;                     // as in Zoom's user_info and in messages
    std::span<const std::string_view> aliases; // header spellings besides `name`
};

std::span<const field_info> field_table();
std::string_view name_of(field f);
std::optional<field> parse_field(std::string_view name);

// Header text folded for matching: lower case, without spaces, '_' and '-'.
std::string fold_header(std::string_view header);

// Whether a header names a column of secrets (password, PIN, secret, token, ...): such
// columns are never journaled or reported, whatever field they map to.
bool names_a_secret(std::string_view header);

// The field a header names, through its name or an alias.
std::optional<field> field_for_header(std::string_view header);

} // namespace zprov
