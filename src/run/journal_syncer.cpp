#include "zprov/run/journal_syncer.hpp"

#include "zprov/net/asio.hpp"

#include <cerrno>
#include <unistd.h>

namespace zprov {

struct journal_syncer::waiter {
    std::uint64_t size;
    net::steady_timer timer;
};

journal_syncer::journal_syncer(net::any_io_executor executor, journal_file& file)
    : executor_(std::move(executor)), file_(file), thread_([this] { flush_loop(); }) {}

journal_syncer::~journal_syncer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

net::awaitable<void> journal_syncer::durable(std::uint64_t size) {
    if (size > synced_ && error_ == 0) {
        waiter w{size, net::steady_timer(executor_, net::steady_timer::time_point::max())};
        auto it = waiters_.insert(waiters_.end(), &w);
        {
            std::lock_guard lock(mutex_);
            requested_ = std::max(requested_, size);
        }
        wake_.notify_one();
        // Woken by flushed() cancelling the timer, or by the caller's cancellation (a halt).
        co_await w.timer.async_wait(net::as_tuple(net::use_awaitable));
        if (w.size > synced_ && error_ == 0) { // cancelled: still registered, not durable
            waiters_.erase(it);
            throw boost::system::system_error(net::error::operation_aborted, "journal flush");
        }
    }
    if (error_ != 0)
        file_.sync_failed(error_);
}

void journal_syncer::flush_loop() {
    std::unique_lock lock(mutex_);
    std::uint64_t done = 0;
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || requested_ > done; });
        if (requested_ <= done)
            return; // stopping, nothing asked
        // Everything written before this read is covered by the flush that follows.
        const auto target = requested_;
        lock.unlock();
        const int error = ::fdatasync(file_.fd()) == 0 ? 0 : errno;
        ++flushes_;
        net::post(executor_, [this, target, error] { flushed(target, error); });
        lock.lock();
        done = target;
        if (error != 0)
            return;
    }
}

void journal_syncer::flushed(std::uint64_t size, int error) {
    if (error != 0)
        error_ = error;
    else
        synced_ = std::max(synced_, size);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
        if (error_ != 0 || (*it)->size <= synced_) {
            (*it)->timer.cancel();
            it = waiters_.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace zprov
