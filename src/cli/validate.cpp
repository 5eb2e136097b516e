#include "zprov/cli/validate.hpp"

#include "zprov/base/text.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>

namespace zprov {

validate_report validate_sheet(user_sheet& sheet, const send_limits& limits) {
    validate_report report;
    report.file = sheet.name();
    report.notices = sheet.notices();
    report.limits = limits;
    sheet_row row;
    while (sheet.next(row)) {
        ++report.rows;
        if (row.valid()) {
            ++report.valid;
            report.steps.add_row(!row.user.group.empty(), row.user.has_profile(), limits.action);
            continue;
        }
        ++report.invalid;
        for (auto& e : row.errors)
            report.errors.push_back({row.line, std::move(e.field), std::move(e.reason)});
    }
    report.estimate = forecast_import(report.valid, limits.rate, limits.daily_cap);
    // The groups are read once per run when the sheet has the column.
    if (report.valid > 0 && sheet.layout()[static_cast<std::size_t>(field::group)])
        report.steps.group_lists = 1;
    return report;
}

void print_human(std::ostream& out, const validate_report& r) {
    for (const auto& e : r.errors)
        out << r.file << ": line " << e.line << ": " << e.field << ": " << terminal_safe(e.reason)
            << "\n";
    out << r.file << ": " << with_commas(r.rows) << " rows, " << with_commas(r.valid) << " valid, "
        << with_commas(r.invalid) << " invalid\n";
    const auto& plan = limits_of(r.limits.plan_id);
    const auto& action = info_of(r.limits.action);
    out << "Forecast (" << plan.title << " plan, action " << action.name << ", "
        << rate_text(r.limits.rate) << " requests/s";
    if (r.limits.daily_cap > 0)
        out << ", " << with_commas(r.limits.daily_cap) << " creates per UTC day";
    out << "): ";
    if (r.valid == 0) {
        out << "nothing to send\n";
        return;
    }
    out << with_commas(r.valid) << " users need " << r.estimate.days_needed << " UTC day"
        << (r.estimate.days_needed == 1 ? "" : "s") << ", about "
        << human_duration(r.estimate.seconds_at_rate) << " of sending at "
        << rate_text(r.limits.rate) << "/s\n";
    if (auto steps = describe(r.steps, r.limits.plan_id, r.limits.rate); !steps.empty())
        out << steps << "\n";
}

std::string to_json(const validate_report& r) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : r.errors)
        errors.push_back({{"line", e.line}, {"field", e.field}, {"reason", e.reason}});
    nlohmann::json doc{
        {"file", r.file},
        {"rows", r.rows},
        {"valid", r.valid},
        {"invalid", r.invalid},
        {"errors", std::move(errors)},
        {"notices", r.notices},
        {"plan", limits_of(r.limits.plan_id).name},
        {"action", info_of(r.limits.action).name},
        {"rate", r.limits.rate},
        {"daily_cap",
         r.limits.daily_cap > 0 ? nlohmann::json(r.limits.daily_cap) : nlohmann::json()},
        {"days_needed", r.estimate.days_needed},
        {"seconds_needed", std::ceil(r.estimate.seconds_at_rate)},
        {"group_lists", r.steps.group_lists},
        {"patches_now", r.steps.patches_now},
        {"patches_later", r.steps.patches_later},
        {"step_seconds_now", std::ceil(r.steps.seconds_now(r.limits.plan_id, r.limits.rate))},
        {"step_seconds_later", std::ceil(r.steps.seconds_later(r.limits.rate))},
    };
    // Replace rather than throw on bytes that are not UTF-8 (they are reported as errors).
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace zprov
