#include "zprov/run/progress.hpp"

#include "zprov/run/forecast.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace zprov {

progress_display::progress_display(bool live, const run_counters& count, double rate_limit)
    : live_(live), count_(count), rate_limit_(rate_limit) {}

void progress_display::log(const std::string& line) {
    clear();
    std::cerr << line << "\n";
}

void progress_display::clear() {
    if (live_ && shown_) {
        std::cerr << "\r\033[K";
        shown_ = false;
    }
}

void progress_display::show() {
    if (live_) {
        std::cerr << "\r\033[K" << line() << std::flush;
        shown_ = true;
    } else {
        std::cerr << line() << "\n";
    }
}

std::chrono::milliseconds progress_display::period() const {
    return live_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(10'000);
}

std::string progress_display::line() const {
    auto elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    double rate = elapsed > 0 ? static_cast<double>(count_.requests) / elapsed : 0;
    char buf[256];
    std::string total = total_ >= 0 ? std::to_string(total_) : "?";
    std::snprintf(
        buf, sizeof buf,
        "%lld/%s done | created %lld, exists %lld, rejected %lld, failed %lld | %.1f req/s",
        static_cast<long long>(count_.done()), total.c_str(),
        static_cast<long long>(count_.created), static_cast<long long>(count_.exists),
        static_cast<long long>(count_.rejected), static_cast<long long>(count_.failed), rate);
    std::string text = buf;
    if (waiting_until_) {
        auto left = std::max<std::int64_t>(0, (*waiting_until_ - now_utc()).count());
        text +=
            " | paused at the daily cap, resuming in " + human_duration(static_cast<double>(left));
    } else if (total_ > 0 && rate > 0 && count_.done() < total_) {
        text += " | ETA " + human_duration(static_cast<double>(total_ - count_.done()) /
                                           std::min(rate, rate_limit_));
    }
    return text;
}

} // namespace zprov
