#include "zoomsim/tokens/token_store.hpp"

#include <iterator>

namespace zoomsim {

token_store::token_store(std::string fixed, std::chrono::seconds ttl, std::uint64_t seed,
                         bool single_live)
    : fixed_(std::move(fixed)), ttl_(ttl), single_live_(single_live), random_(seed) {}

std::string token_store::grant(steady_time now) {
    // Zoom's tokens are long opaque strings; 48 characters of base64url look the part.
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string token = "zs.";
    for (int i = 0; i < 48; ++i)
        token += alphabet[random_() % alphabet.size()];
    if (single_live_)
        live_.clear();
    std::erase_if(live_, [now](const auto& entry) { return entry.second <= now; });
    live_[token] = now + ttl_;
    return token;
}

bool token_store::accepts(std::string_view token, steady_time now) const {
    if (token.empty())
        return false;
    if (!fixed_.empty() && token == fixed_)
        return true;
    auto found = live_.find(token);
    return found != live_.end() && now < found->second;
}

} // namespace zoomsim
