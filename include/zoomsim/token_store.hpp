// Access tokens as Zoom's Server-to-Server OAuth hands them out: one current token, living
// a fixed time; a new grant invalidates the one before. A fixed token (--access-token)
// never expires. Times come from the caller. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/sliding_window.hpp"

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace zoomsim {

class token_store {
public:
    // `fixed` may be empty (no fixed token). `seed` only shapes the token text.
    token_store(std::string fixed, std::chrono::seconds ttl, std::uint64_t seed);

    // Issues a new token at `now`; the previous grant stops working.
    std::string grant(steady_time now);
    bool accepts(std::string_view token, steady_time now) const;
    std::chrono::seconds ttl() const { return ttl_; }

private:
    std::string fixed_;
    std::chrono::seconds ttl_;
    std::mt19937_64 random_;
    std::string current_;
    steady_time expires_{};
};

} // namespace zoomsim
