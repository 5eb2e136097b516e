// Waiting for the account's lock (--wait-for-account): the wait races the run's stop.
#include "zprov/run/account_lock.hpp"

#include "zprov/net/asio.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/send_pacer.hpp"
#include "zprov/run/stop.hpp"

#include <chrono>

namespace zprov {

namespace {
using steady = std::chrono::steady_clock;

// How often the account's lock is tried, and for how long at most.
constexpr auto account_lock_step = std::chrono::seconds(1);
constexpr auto account_lock_longest = std::chrono::hours(24);
} // namespace

net::awaitable<bool> take_account(account_lock& lock, stop_state& stop, bool wait,
                                  const send_pacer& pacer,
                                  std::function<void(const std::string&)> say) {
    if (lock.try_take())
        co_return true;
    const auto pid = lock.holder();
    const std::string busy = "another zprov run" +
                             (pid.empty() ? std::string() : " (pid " + pid + ")") +
                             " is importing into " + lock.account_name() +
                             "; two at once share its rate limits and draw each other's 429s";
    if (!wait) {
        stop.request(exit_code::paused,
                     busy + ". Nothing was sent: rerun when it has finished, or pass "
                            "--wait-for-account to wait for it");
        co_return false;
    }
    say(busy + ": waiting for it to end (--wait-for-account)");
    const auto give_up = steady::now() + account_lock_longest;
    while (!lock.try_take()) {
        if (steady::now() >= give_up) {
            stop.request(exit_code::paused, busy + ": waited " +
                                                std::to_string(account_lock_longest.count()) +
                                                " hours for it; rerun later");
            co_return false;
        }
        co_await wait_unless(stop, stop_level::stopping, steady::now() + account_lock_step);
        if (stop.stopping())
            co_return false;
    }
    say("The other run into " + lock.account_name() + " has ended; going on");
    co_await wait_unless(stop, stop_level::stopping, steady::now() + pacer.window());
    co_return !stop.stopping();
}

} // namespace zprov
