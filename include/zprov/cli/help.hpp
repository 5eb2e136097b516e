// The help texts of `zprov` and its commands, generated from the fact tables (plans,
// actions, user types, column aliases, exit codes) and the option table, so that --help
// cannot drift from what the code accepts. Throws nothing.
#pragma once

#include <string>

namespace zprov {

// What zprov does and what the CSV needs, with every column alias.
std::string overview_help();

// "email: Email, Email Address, ...", one line per field.
std::string column_alias_help();

// Each plan's per-second limit and daily create cap.
std::string plan_help();

// The footers of `zprov run --help` and `zprov validate --help`: credentials, where the
// journal goes, plans and exit codes.
std::string run_footer();
std::string validate_footer();

} // namespace zprov
