#include "zprov/run/stop.hpp"

#include "zprov/net/asio.hpp"

#include <algorithm>
#include <optional>

namespace zprov {

struct event::impl {
    // Made by the first wait, on its executor; never expires.
    std::optional<net::steady_timer> timer;
};

event::event() : impl_(std::make_unique<impl>()) {}
event::~event() = default;

void event::notify() {
    if (impl_->timer)
        impl_->timer->cancel();
}

net::awaitable<void> event::wait() {
    auto& timer = impl_->timer;
    if (!timer)
        timer.emplace(co_await net::this_coro::executor, net::steady_timer::time_point::max());
    // Ends when notify() cancels it (or when the waiter is cancelled).
    co_await timer->async_wait(net::as_tuple(net::use_awaitable));
}

void stop_state::request(exit_code code, const std::string& message) {
    if (level_ == stop_level::running || reason_.code == exit_code::ok)
        reason_ = {code, message};
    raise(reason_.code == exit_code::paused ? stop_level::stopping : stop_level::abandoning);
}

void stop_state::interrupt(const std::string& message) {
    request(exit_code::paused, message);
    raise(stop_level::abandoning);
}

void stop_state::halt(const std::string& message) {
    interrupt(message);
    raise(stop_level::halted);
}

void stop_state::raise(stop_level level) {
    level_ = std::max(level_, level);
    changed_.notify();
}

net::awaitable<void> stop_state::until(stop_level level) {
    // A cancellation of the waiter (the race it is in was won by another) throws at the
    // next co_await: the loop does not outlive it.
    while (!reached(level))
        co_await changed_.wait();
}

} // namespace zprov
