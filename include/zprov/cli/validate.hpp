// `zprov validate`: reads a whole sheet, sends nothing, and reports every invalid row and
// a forecast of how long the import takes. Throws csv_file_error for an unusable file.
#pragma once

#include "zprov/cli/settings.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/sheet/user_sheet.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace zprov {

struct row_error {
    unsigned line;
    std::string field;
    std::string reason;
};

struct validate_report {
    std::string file;
    std::int64_t rows = 0;
    std::int64_t valid = 0;
    std::int64_t invalid = 0;
    std::vector<row_error> errors;
    std::vector<std::string> notices;
    send_limits limits{};
    forecast estimate;
    step_forecast steps; // the group and profile steps' requests
};

validate_report validate_sheet(user_sheet& sheet, const send_limits& limits);

// One line per problem, then the summary and forecast.
void print_human(std::ostream& out, const validate_report& report);
// The object of DESIGN.md's contract: rows, valid, invalid, errors, days_needed, ...
std::string to_json(const validate_report& report);

} // namespace zprov
