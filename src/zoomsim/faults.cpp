#include "zoomsim/faults.hpp"

#include "zoomsim/options.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace zoomsim {

faults::faults(const sim_options& options) : options_(options), random_(options.seed) {}

bool faults::roll(double probability) {
    if (probability <= 0)
        return false;
    return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < probability;
}

std::optional<sim_reply> faults::before_call() {
    if (roll(options_.fail_rate)) {
        ++counts_.failed_injected;
        return injected_failure();
    }
    if (roll(options_.drop_rate)) {
        ++counts_.dropped;
        return dropped_reply();
    }
    return std::nullopt;
}

bool faults::drop_after_create() {
    if (!roll(options_.commit_drop_rate))
        return false;
    ++counts_.commit_dropped;
    return true;
}

std::chrono::milliseconds faults::delay() {
    if (options_.latency.count() <= 0 && options_.jitter.count() <= 0)
        return std::chrono::milliseconds{0};
    auto low = std::max<std::int64_t>(0, (options_.latency - options_.jitter).count());
    auto high = std::max<std::int64_t>(low, (options_.latency + options_.jitter).count());
    return std::chrono::milliseconds{
        std::uniform_int_distribution<std::int64_t>(low, high)(random_)};
}

sim_reply faults::injected_failure() {
    static constexpr int statuses[] = {500, 502, 503};
    auto status = statuses[std::uniform_int_distribution<int>(0, 2)(random_)];
    if (status == 500)
        return json_reply(
            500, nlohmann::ordered_json{{"code", 500}, {"message", "Internal Server Error"}});
    // What a load balancer in front of the API answers: HTML, not Zoom's JSON.
    sim_reply reply;
    reply.status = status;
    reply.content_type = "text/html";
    reply.body = status == 502 ? "<html><body><h1>502 Bad Gateway</h1></body></html>\n"
                               : "<html><body><h1>503 Service Unavailable</h1></body></html>\n";
    return reply;
}

} // namespace zoomsim
