// Row validation as Zoom validates POST /users user_info: email, type, name lengths (in
// code points, and in Chinese characters), display name, password rules for autoCreate.
// Zoom's limits are facts (zoom/user_info.hpp); the checks here are zprov's. Each check returns the
// reason a value is refused, or std::nullopt when it is acceptable. Throws nothing.
#pragma once

#include "zprov/sheet/fields.hpp"
#include "zprov/zoom/plans.hpp"
#include "zprov/zoom/user_info.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

// "1", "2", "4", "99" or Basic/Licensed/Unassigned/None (any case): a type cell.
std::optional<int> parse_user_type(std::string_view text);
// Why zprov refuses a user type Zoom's schema strikes out as deprecated: "99 (None) is
// deprecated in Zoom's API (struck out in its schema)".
std::string deprecated_type_reason(int type);

std::optional<std::string> check_email(std::string_view email);
std::optional<std::string> check_password(std::string_view password);
// A name-like cell: well-formed UTF-8, at most `max_chars` code points of which at most
// `max_chinese` Chinese characters (zoom/user_info.hpp says which those are). `field` names
// the cell in the reason.
struct text_rule {
    std::string_view field;
    std::size_t max_chars;
    std::size_t max_chinese;
};
std::optional<std::string> check_text(std::string_view text, const text_rule& rule);
// Chinese characters in well-formed UTF-8 `text` (counting stops at an ill-formed byte).
std::size_t chinese_characters(std::string_view text);

// The profile fields of a row (field::dept to field::cost_center), by field; empty: not set.
inline constexpr std::size_t profile_field_count = static_cast<std::size_t>(last_profile_field) -
                                                   static_cast<std::size_t>(first_profile_field) +
                                                   1;
using profile_values = std::array<std::string, profile_field_count>;
constexpr std::size_t profile_index(field f) {
    return static_cast<std::size_t>(f) - static_cast<std::size_t>(first_profile_field);
}
constexpr field profile_field_at(std::size_t i) {
    return static_cast<field>(static_cast<std::size_t>(first_profile_field) + i);
}
// The limit on a profile field's length in characters (profile_limits::unlimited if none).
std::size_t profile_max_chars(field f);
// A profile cell: well-formed UTF-8 without control characters, within the field's limit; the
// manager an email or a name.
std::optional<std::string> check_profile_value(field f, std::string_view value);

// A user as it will be sent: validated, trimmed.
struct user_record {
    std::string email;
    std::string first_name;
    std::string last_name;
    std::string display_name;
    int type = 1;
    std::string password; // empty unless the action sends passwords
    profile_values profile;
    std::string group;    // the User Group cell: a group's name, empty for none
    std::string group_id; // the account's id of that group, once the groups were read
    bool has_profile() const {
        for (const auto& value : profile)
            if (!value.empty())
                return true;
        return false;
    }
};

struct field_error {
    std::string field;
    std::string reason;
};

struct validation_rules {
    create_action action = create_action::create;
    int default_type = 1; // when the CSV has no type column or the cell is empty
};

// The cells of one row by field; std::nullopt where the CSV has no such column.
using user_cells = std::array<std::optional<std::string_view>, field_count>;

// Validates every field of a row and fills `user`; returns the problems found (empty when
// the row can be sent).
std::vector<field_error> check_user(const user_cells& cells, const validation_rules& rules,
                                    user_record& user);

// Lower-cased email: a row's identity in the journal and for duplicate detection.
std::string email_key(std::string_view email);

} // namespace zprov
