// The rules Zoom applies to user_info fields of POST /users, as zoomsim enforces them:
// written from zoom/users-create.openapi.json and zoom/FACTS.md, independently of zprov's
// row validation, so that tests catch the two departing. Limits, user types and what a
// "Chinese character" is come from Zoom's facts (zprov/zoom/user_info.hpp). Each rule
// returns why a value is refused, or std::nullopt. Throws only std::bad_alloc.
#pragma once

#include "zprov/zoom/plans.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zoomsim {

// user_info.email: at most 128 characters, an address of the form local@domain.
std::optional<std::string> email_problem(std::string_view email);

// user_info.first_name / last_name / display_name: at most `max_chars` characters (code
// points, as JSON Schema's maxLength counts) and at most `max_chinese` Chinese characters.
std::optional<std::string> name_problem(std::string_view name, std::size_t max_chars,
                                        std::size_t max_chinese);

// user_info.type: one of the schema's enum; 99 (deprecated) only where the action allows it.
std::optional<std::string> type_problem(std::int64_t type, zprov::create_action action);

// user_info.password (autoCreate): Zoom's basic password requirement.
std::optional<std::string> password_problem(std::string_view password);

} // namespace zoomsim
