// Row validation as Zoom validates POST /users user_info: email, type, name lengths (in
// code points), display name, password rules for autoCreate. Each check returns the
// reason a value is refused, or std::nullopt when it is acceptable. Throws nothing.
#pragma once

#include "zprov/fields.hpp"
#include "zprov/plans.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

// Zoom's limits on user_info, one place.
struct user_info_limits {
    static constexpr std::size_t email_max = 128;
    static constexpr std::size_t name_max = 64; // first_name, last_name (code points)
    static constexpr std::size_t display_name_max = 128;
    static constexpr std::size_t password_min = 8;
    static constexpr std::size_t password_max = 32;
    static constexpr std::size_t password_run_max = 7; // "12345678" (8 in a row) is refused
};

// User types Zoom takes; the one table of numbers and names.
struct user_type_info {
    int number;
    std::string_view name;
};
std::span<const user_type_info> user_type_table();
// "1", "2", "4", "99" or Basic/Licensed/Unassigned/None (any case).
std::optional<int> parse_user_type(std::string_view text);
bool is_user_type(int number);
std::string user_type_names(); // "1 (Basic), 2 (Licensed), ..."

std::optional<std::string> check_email(std::string_view email);
std::optional<std::string> check_password(std::string_view password);
// A name-like cell: well-formed UTF-8, at most `max_chars` code points.
std::optional<std::string> check_text(std::string_view text, std::size_t max_chars);

// A user as it will be sent: validated, trimmed.
struct user_record {
    std::string email;
    std::string first_name;
    std::string last_name;
    std::string display_name;
    int type = 1;
    std::string password; // empty unless the action sends passwords
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
