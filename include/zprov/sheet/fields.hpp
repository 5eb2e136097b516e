// The user fields zprov sends to Zoom (POST /users, then PATCH /users/{id}), and the one table of
// spreadsheet column aliases that map a CSV header to a field, and the table of names that mark a
// column as secret. Throws nothing but std::bad_alloc.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

// The fields of POST /users, then the profile fields of PATCH /users/{id} and the user's
// group (a name in the sheet, matched to the account's groups).
enum class field {
    email,
    first_name,
    last_name,
    display_name,
    type,
    password,
    dept,
    job_title,
    location,
    manager,
    company,
    cost_center,
    group
};
inline constexpr std::size_t field_count = 13;
// The profile fields, in the order of `field`: what PATCH /users/{id} sets after the create.
inline constexpr field first_profile_field = field::dept;
inline constexpr field last_profile_field = field::cost_center;

// Where a sheet has more than one column for a field (an HR export with both a preferred
// and a legal first name, say), each row takes the first of them, in this order, whose cell
// is not empty. Two columns of one rank are ambiguous (and email takes one column only).
enum class column_rank { mapped, preferred, usual, fallback };

struct field_info {
    field id;
    std::string_view name;                            // as in Zoom's user_info and in messages
    std::span<const std::string_view> aliases;        // header spellings besides `name`
    std::span<const std::string_view> preferred = {}; // spellings that win over the others
    std::span<const std::string_view> fallback = {};  // taken where the others are empty
};

std::span<const field_info> field_table();
// "Preferred Name; then First Name, Given Name; then Legal First Name": a field's aliases
// in the order a row takes them, for help texts and the README.
std::string alias_list(const field_info& info);
std::string_view name_of(field f);
std::optional<field> parse_field(std::string_view name);

// Header text folded for matching: lower case, without spaces, '_' and '-'.
std::string fold_header(std::string_view header);

// Whether a header names a column of secrets (password, PIN, secret, token, ...): such
// columns are never journaled or reported, whatever field they map to.
bool names_a_secret(std::string_view header);

// The field a header names, through its name or an alias, and the alias's rank.
struct header_match {
    field id;
    column_rank rank;
};
std::optional<header_match> match_header(std::string_view header);
std::optional<field> field_for_header(std::string_view header);

} // namespace zprov
