// The daily cap on action=create, counted per UTC day of the simulator's calendar. Days come
// from the caller, so tests roll them over at will. Throws nothing.
#pragma once

#include "zoomsim/calendar.hpp"

#include <cstdint>
#include <optional>

namespace zoomsim {

class daily_cap {
public:
    explicit daily_cap(std::int64_t cap) : cap_(cap) {}

    // Counts one create on `day`; returns false, counting nothing, once the day's cap is
    // spent. A new day starts from zero.
    bool try_consume(sys_days day);
    // Counts `n` creates made on `day` by others (other apps on the account), as if the
    // day had begun with them.
    void spend(sys_days day, std::int64_t n);
    // Creates counted on `day` (0 for any day but the current one).
    std::int64_t used(sys_days day) const { return day == day_ ? used_ : 0; }
    // What is left of `day`'s cap: X-RateLimit-Remaining.
    std::int64_t remaining(sys_days day) const { return cap_ > used(day) ? cap_ - used(day) : 0; }
    std::int64_t cap() const { return cap_; }

    // Remembers that `day`'s cap was refused, so later requests that day can be told apart.
    void note_refusal(sys_days day) { refused_on_ = day; }
    bool refused_on(sys_days day) const { return refused_on_ == day; }

private:
    std::int64_t cap_;
    sys_days day_{};
    std::int64_t used_ = 0;
    std::optional<sys_days> refused_on_;
};

} // namespace zoomsim
