#include "zprov/run/worker_gate.hpp"

#include "zprov/net/asio.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/send_pacer.hpp"
#include "zprov/run/worker_sizer.hpp"

#include <chrono>

namespace zprov {

namespace {
// A worker kept off work looks again when the target grows, the rows run out or the run
// stops, and at least this often.
constexpr auto idle_worker_step = std::chrono::seconds(30);
} // namespace

void worker_gate::open() {
    target_ = sizer_.target(pacer_.rate());
}

net::awaitable<bool> worker_gate::turn(int number, const void* session) {
    if (number < wanted() + lost_)
        co_return true;
    sizer_.idle(session);
    co_await wait_unless(stop_, stop_level::abandoning, changed_,
                         std::chrono::steady_clock::now() + idle_worker_step);
    co_return false;
}

void worker_gate::rows_ran_out() {
    rows_done_ = true;
    changed_.notify();
}

void worker_gate::worker_lost() {
    ++lost_;
    changed_.notify();
}

// The workers the rate needs now; the waiting ones are woken when it grows.
int worker_gate::wanted() {
    const int target = sizer_.target(pacer_.rate());
    if (target > target_)
        changed_.notify();
    target_ = target;
    return target;
}

} // namespace zprov
