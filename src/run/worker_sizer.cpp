#include "zprov/run/worker_sizer.hpp"

#include <algorithm>
#include <cmath>

namespace zprov {

namespace {
constexpr std::size_t kept_samples = 64;
// The share of the samples at or under the estimate: a high quantile, for jitter.
constexpr double quantile = 0.9;
// Workers beyond rate × busy time: a quarter more, and a few more for a slow answer (each
// connection costs a TLS handshake and its buffers).
constexpr double headroom = 1.25;
constexpr int spare_workers = 2;
constexpr int fewest_workers = 2;
// A sample longer than this is a wait (a backoff, the day's budget), not a round trip.
constexpr auto longest_sample = std::chrono::seconds(2);
} // namespace

worker_sizer::worker_sizer(int ceiling, clock::duration first_guess)
    : ceiling_(std::max(1, ceiling)), busy_(first_guess) {
    samples_.reserve(kept_samples);
}

worker_sizer::clock::time_point* worker_sizer::last_grant(const void* w) {
    for (auto& [worker, at] : granted_)
        if (worker == w)
            return &at;
    return nullptr;
}

void worker_sizer::granted(const void* w, clock::time_point at) {
    if (auto* last = last_grant(w))
        *last = at;
    else
        granted_.emplace_back(w, at);
}

void worker_sizer::ready(const void* w, clock::time_point at) {
    auto* last = last_grant(w);
    if (!last || *last == clock::time_point{} || at < *last)
        return;
    const auto sample = std::min<clock::duration>(at - *last, longest_sample);
    *last = clock::time_point{};
    if (samples_.size() < kept_samples)
        samples_.push_back(sample);
    else
        samples_[next_sample_] = sample;
    next_sample_ = (next_sample_ + 1) % kept_samples;
    auto sorted = samples_;
    const auto at_quantile = static_cast<std::size_t>(
        std::floor(quantile * static_cast<double>(sorted.size() - 1) + 0.5));
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(at_quantile),
                     sorted.end());
    busy_ = sorted[at_quantile];
}

void worker_sizer::idle(const void* w) {
    if (auto* last = last_grant(w))
        *last = clock::time_point{};
}

int worker_sizer::target(double rate) const {
    const double busy = std::chrono::duration<double>(busy_).count();
    const double needed = std::ceil(rate * busy * headroom) + spare_workers;
    const double bounded =
        std::clamp(needed, static_cast<double>(std::min(fewest_workers, ceiling_)),
                   static_cast<double>(ceiling_));
    return static_cast<int>(bounded);
}

} // namespace zprov
