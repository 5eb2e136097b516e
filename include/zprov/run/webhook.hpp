// Delivering what a run tells the outside (--notify messages, --ping requests): each a POST
// over HTTPS (TLS verification always on, the run's --ca-file and proxy), retried a few
// times on network errors, 408, 429 and 5xx, all of them within one bound of time: a slow
// or unreachable receiver delays the run by at most that bound and never fails it. What
// is said of a delivery names only shown_url's scheme://host/... of its URL. Throws only
// std::bad_alloc.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace zprov {

struct outgoing_post {
    std::string url;          // checked with parse_webhook_url
    std::string content_type; // empty: no body
    std::string body;
};

struct delivery_settings {
    std::string ca_file;                     // empty: the system store only
    std::optional<std::string> proxy;        // as run_config's: unset, the environment decides
    std::chrono::milliseconds bound{10'000}; // for every post together, retries included
};

// Attempts per post, at most, within the bound.
inline constexpr int delivery_attempts = 3;

struct delivery_result {
    bool delivered = false;
    std::string problem; // why not: "timed out after 10 s", "HTTP 404", a network error
};

// Sends every post side by side; one result per post, in order.
std::vector<delivery_result> deliver(const std::vector<outgoing_post>& posts,
                                     const delivery_settings& settings);

} // namespace zprov
