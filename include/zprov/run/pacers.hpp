// One pacer per Zoom rate-limit category (Light, Medium), shared by every worker: a call
// takes its turn from the pacer of its category, as the facts' call table gives it. --rate
// sets Light's rate (the category of POST /users); every other category runs at the plan's
// limit scaled by the same factor, so that --rate 15 on Pro leaves half of every category
// to other apps. A rate above the plan's starts at the plan's and climbs only while Zoom
// takes it (send_pacer). Throws std::out_of_range for a call the facts do not list.
#pragma once

#include "zprov/run/send_pacer.hpp"
#include "zprov/zoom/plans.hpp"

#include <array>
#include <string_view>

namespace zprov {

class pacer_set {
public:
    pacer_set(plan p, double light_rate, send_pacer::clock::time_point now);

    send_pacer& of(rate_category c) { return pacers_[static_cast<std::size_t>(c)]; }
    // The pacer of `method` on `path` (under the API's version path, "/users").
    send_pacer& for_call(std::string_view method, std::string_view path) {
        return of(category_of(method, path));
    }
    // The rate-limit category of `method` on `path`.
    static rate_category category_of(std::string_view method, std::string_view path);

private:
    static std::array<send_pacer, 2> make(plan p, double light_rate,
                                          send_pacer::clock::time_point now);
    std::array<send_pacer, 2> pacers_; // by rate_category
};

} // namespace zprov
