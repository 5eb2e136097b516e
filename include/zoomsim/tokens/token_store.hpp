// Access tokens as Zoom's Server-to-Server OAuth hands them out: each lives a fixed time,
// and several live side by side, as Zoom now allows (zoom/FACTS.md, "Server-to-Server
// OAuth"); with `single_live`, a new grant invalidates the one before, as Zoom did until
// 2022. A fixed token (--access-token) never expires. Times come from the caller. Throws
// only std::bad_alloc.
#pragma once

#include "zoomsim/calendar.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>

namespace zoomsim {

class token_store {
public:
    // `fixed` may be empty (no fixed token). `seed` only shapes the token text.
    token_store(std::string fixed, std::chrono::seconds ttl, std::uint64_t seed,
                bool single_live = false);

    // Issues a new token at `now`, living ttl().
    std::string grant(steady_time now);
    bool accepts(std::string_view token, steady_time now) const;
    std::chrono::seconds ttl() const { return ttl_; }

private:
    std::string fixed_;
    std::chrono::seconds ttl_;
    bool single_live_;
    std::mt19937_64 random_;
    std::map<std::string, steady_time, std::less<>> live_; // token -> expiry
};

} // namespace zoomsim
