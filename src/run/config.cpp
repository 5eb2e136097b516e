#include "zprov/run/config.hpp"

#include "zprov/sheet/csv_source.hpp"

#include <utility>

namespace zprov {

user_sheet open_sheet(const std::string& csv, const run_config& config) {
    sheet_options o;
    o.rules.action = config.limits.action;
    o.rules.default_type = config.type;
    o.columns = config.columns;
    return user_sheet(csv_source::open(csv, config.format), std::move(o));
}

} // namespace zprov
