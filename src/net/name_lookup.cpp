#include "zprov/net/name_lookup.hpp"

#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace zprov {

// One lookup, shared by its thread and whoever waits for it.
struct name_lookup::job : std::enable_shared_from_this<job> {
    std::string host, port;
    std::mutex mutex;
    bool done = false;    // guarded by mutex, as are the members below
    lookup_answer answer; // once done
    // While someone waits: where to wake them (the waiting coroutine's executor), and the
    // timer they wait on, touched on that executor only.
    std::optional<net::any_io_executor> waiter;
    net::steady_timer* timer = nullptr;

    void finish(lookup_answer found) {
        std::lock_guard lock(mutex);
        answer = std::move(found);
        done = true;
        if (waiter)
            net::post(*waiter, [self = shared_from_this()] {
                std::lock_guard inner(self->mutex);
                if (self->timer)
                    self->timer->cancel();
            });
    }
};

lookup_answer system_lookup(const std::string& host, const std::string& port) {
    net::io_context context; // the resolver wants one; the lookup blocks this thread
    net::ip::tcp::resolver resolver(context);
    lookup_answer answer;
    answer.results = resolver.resolve(host, port, answer.ec);
    return answer;
}

name_lookup::name_lookup(blocking_lookup how) : how_(std::move(how)) {}

name_lookup::~name_lookup() = default;

std::shared_ptr<name_lookup::job> name_lookup::start(const std::string& host,
                                                     const std::string& port) {
    auto lookup = std::make_shared<job>();
    lookup->host = host;
    lookup->port = port;
    try {
        std::thread([lookup, how = how_] {
            lookup->finish(how(lookup->host, lookup->port));
        }).detach();
    } catch (const std::system_error& e) { // no thread to be had
        lookup_answer failed;
        failed.ec = boost::system::error_code(e.code().value(), boost::system::system_category());
        lookup->finish(std::move(failed));
    }
    return lookup;
}

net::awaitable<lookup_answer> name_lookup::find(std::string host, std::string port,
                                                std::chrono::milliseconds timeout) {
    auto lookup =
        pending_ && pending_->host == host && pending_->port == port ? pending_ : start(host, port);
    pending_.reset();
    auto executor = co_await net::this_coro::executor;
    net::steady_timer timer(executor, timeout);
    std::optional<lookup_answer> ready;
    {
        std::lock_guard lock(lookup->mutex);
        if (lookup->done) {
            ready = lookup->answer;
        } else {
            lookup->waiter = executor;
            lookup->timer = &timer;
        }
    }
    if (ready)
        co_return *ready;
    // However this coroutine ends (its io_context may be destroyed while it waits), the
    // lookup's thread no longer wakes it.
    struct stop_waiting {
        job& lookup;
        ~stop_waiting() {
            std::lock_guard lock(lookup.mutex);
            lookup.waiter.reset();
            lookup.timer = nullptr;
        }
    } on_exit{*lookup};
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    lookup_answer answer{net::error::timed_out, {}};
    {
        std::lock_guard lock(lookup->mutex);
        if (lookup->done)
            answer = lookup->answer;
        else
            pending_ = lookup; // still running: the next try waits for it
    }
    co_return answer;
}

} // namespace zprov
