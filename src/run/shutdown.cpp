#include "zprov/run/shutdown.hpp"

#include "zprov/base/exit_codes.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/stop.hpp"

#include <chrono>
#include <csignal>
#include <vector>

namespace zprov {

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto interrupt_grace = 20s;   // in-flight requests get this long after Ctrl-C
constexpr auto same_signal_window = 1s; // a signal this soon after the first is the same
} // namespace

struct run_shutdown::impl {
    explicit impl(const net::any_io_executor& ex)
        : executor(ex), signals(ex, SIGINT, SIGTERM, SIGHUP) {}

    net::any_io_executor executor;
    net::signal_set signals;

    net::awaitable<void> next_signal() { co_await signals.async_wait(net::use_awaitable); }

    net::awaitable<void> grace_period(steady::time_point end) {
        net::steady_timer grace(executor, end);
        co_await grace.async_wait(net::use_awaitable);
    }
};

run_shutdown::run_shutdown(net::any_io_executor executor)
    : impl_(std::make_unique<impl>(executor)) {}

run_shutdown::~run_shutdown() = default;

net::awaitable<void> run_shutdown::run(stop_state& stop,
                                       std::function<void(const std::string&)> say) {
    const int signo = co_await impl_->signals.async_wait(net::use_awaitable);
    say(std::string("zprov: ") +
        (signo == SIGINT   ? "interrupted"
         : signo == SIGHUP ? "hung up (the terminal closed)"
                           : "terminated") +
        "; finishing the requests in flight (a second signal, 1 s or more later, "
        "stops at once)");
    stop.interrupt("interrupted");
    const auto first = steady::now();
    std::size_t ended = 0;
    do { // a timeout wrapper signals zprov, then its group: two at once are one request
        std::vector<net::awaitable<void>> racing;
        racing.push_back(impl_->next_signal());
        racing.push_back(impl_->grace_period(first + interrupt_grace));
        ended = co_await first_to_end(std::move(racing));
    } while (ended == 0 && steady::now() - first < same_signal_window);
    say(ended == 0
            ? std::string("zprov: stopped at once; the requests in flight stay in "
                          "doubt until a rerun settles them")
            : "zprov: requests still in flight after " + std::to_string(interrupt_grace.count()) +
                  " s; stopping at once; they stay in doubt until a rerun settles them");
    stop.halt("interrupted");
}

void stop_for_failure(stop_state& stop, std::exception_ptr e,
                      const std::function<void(const std::string&)>& say) {
    if (!e)
        return;
    auto stop_for = [&](exit_code code, const std::string& why) {
        const bool first = !stop.stopping();
        stop.request(code, why);
        if (!first && why != stop.message())
            say("zprov: also: " + why);
    };
    try {
        std::rethrow_exception(e);
    } catch (const boost::system::system_error& x) {
        if (x.code() != net::error::operation_aborted || !stop.halted()) {
            const auto ending = ending_of(x);
            stop_for(ending.code, ending.message);
        }
    } catch (const std::exception& x) {
        const auto ending = ending_of(x);
        stop_for(ending.code, ending.message);
    }
}

} // namespace zprov
