#include "zprov/run/pacers.hpp"

#include "zprov/run/forecast.hpp"
#include "zprov/zoom/api.hpp"

#include <stdexcept>
#include <string>

namespace zprov {

static_assert(static_cast<std::size_t>(rate_category::light) == 0 &&
              static_cast<std::size_t>(rate_category::medium) == 1);

std::array<send_pacer, 2> pacer_set::make(plan p, double light_rate,
                                          send_pacer::clock::time_point now) {
    // A rate above the plan's starts at the plan's and climbs on evidence (send_pacer).
    return {send_pacer(light_rate, now, per_second(p, rate_category::light)),
            send_pacer(category_rate(p, light_rate, rate_category::medium), now,
                       per_second(p, rate_category::medium))};
}

pacer_set::pacer_set(plan p, double light_rate, send_pacer::clock::time_point now)
    : pacers_(make(p, light_rate, now)) {}

rate_category pacer_set::category_of(std::string_view method, std::string_view path) {
    auto category = zoom_api::category_of(method, path);
    if (!category)
        throw std::out_of_range("no rate-limit category for " + std::string(method) + " " +
                                std::string(path));
    return *category;
}

} // namespace zprov
