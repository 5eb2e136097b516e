#include "zprov/run/row_waits.hpp"

#include "zprov/run/stop.hpp"

#include "zprov/base/exit_codes.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/session.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace zprov;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {
// Generous bounds: each wait below is an hour long unless the event under test ends it.
constexpr auto an_hour = std::chrono::hours(1);
constexpr auto bound = 10s;

// Runs `io` until `done` or `bound` has passed.
void run_until(net::io_context& io, const bool& done) {
    const auto limit = steady::now() + bound;
    while (!done && steady::now() < limit && !io.stopped())
        io.run_one_for(limit - steady::now());
}

bool aborted(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const boost::system::system_error& x) {
        return x.code() == net::error::operation_aborted;
    } catch (...) {
        return false;
    }
}
} // namespace

namespace {
net::awaitable<void> count_when(stop_state& stop, stop_level level, int& heard) {
    co_await stop.until(level);
    ++heard;
}
} // namespace

TEST_CASE("stop state: every change reaches the waits still waiting, at its level") {
    net::io_context io;
    stop_state stop;
    int heard = 0;
    net::co_spawn(io, count_when(stop, stop_level::stopping, heard), net::detached);
    net::co_spawn(io, count_when(stop, stop_level::abandoning, heard), net::detached);
    net::co_spawn(io, count_when(stop, stop_level::halted, heard), net::detached);
    io.poll();
    CHECK(heard == 0);
    stop.request(exit_code::paused, "the daily create cap is spent");
    io.poll();
    CHECK(heard == 1);
    stop.interrupt("interrupted");
    io.poll();
    CHECK(heard == 2);
    stop.halt("interrupted");
    io.poll();
    CHECK(heard == 3);
    CHECK(stop.halted());
    CHECK(stop.abandons_waiting());
    CHECK(stop.message() == "the daily create cap is spent"); // the first reason stays
}

TEST_CASE("row waits: a stop ends an hour's wait at once") {
    net::io_context io;
    stop_state stop;
    bool done = false;
    net::co_spawn(io, wait_unless(stop, stop_level::stopping, steady::now() + an_hour),
                  [&](std::exception_ptr e) {
                      CHECK_FALSE(e);
                      done = true;
                  });
    io.poll();
    CHECK_FALSE(done);
    stop.request(exit_code::paused, "stop");
    // Woken by the event: its completion is ready at once, with no timer left to expire.
    io.poll();
    CHECK(done);
}

TEST_CASE("row waits: a wait on a change (the budget's probe answered) ends at its notice") {
    net::io_context io;
    stop_state stop;
    event answered;
    bool done = false;
    net::co_spawn(io, wait_unless(stop, stop_level::stopping, answered, steady::now() + an_hour),
                  [&](std::exception_ptr e) {
                      CHECK_FALSE(e);
                      done = true;
                  });
    io.poll();
    CHECK_FALSE(done);
    answered.notify();
    io.poll();
    CHECK(done);
    // Its registration ended with the wait: a later notice calls nobody.
    answered.notify();

    done = false; // the same wait ends at a stop too
    io.restart(); // it ran out of work
    net::co_spawn(io, wait_unless(stop, stop_level::stopping, answered, steady::now() + an_hour),
                  [&](std::exception_ptr) { done = true; });
    io.poll();
    CHECK_FALSE(done);
    stop.request(exit_code::paused, "stop");
    io.poll();
    CHECK(done);
}

TEST_CASE("row waits: a wait for a turn outlasts a daily-cap stop and ends at an interruption") {
    net::io_context io;
    stop_state stop;
    bool done = false;
    net::co_spawn(io, wait_unless(stop, stop_level::abandoning, steady::now() + an_hour),
                  [&](std::exception_ptr) { done = true; });
    io.poll();
    stop.request(exit_code::paused, "the daily create cap is spent");
    io.poll();
    CHECK_FALSE(done);
    stop.interrupt("interrupted");
    io.poll();
    CHECK(done);
}

TEST_CASE("row waits: a wait that has already given up does not start") {
    net::io_context io;
    stop_state stop;
    stop.interrupt("interrupted");
    bool done = false;
    net::co_spawn(io, wait_unless(stop, stop_level::stopping, steady::now() + an_hour),
                  [&](std::exception_ptr) { done = true; });
    io.poll();
    CHECK(done);
}

TEST_CASE("run_workers: every worker runs to its end, and each one's exception is returned") {
    net::io_context io;
    int returned = 0;
    std::vector<std::exception_ptr> failures;
    bool done = false;
    auto worker = [&](int i) -> net::awaitable<void> {
        net::steady_timer pause(io, std::chrono::milliseconds(10 * (3 - i)));
        co_await pause.async_wait(net::use_awaitable);
        if (i == 1)
            throw fatal_error(exit_code::cannot_write, "the journal cannot be written");
        if (i == 2)
            throw std::runtime_error("bug");
        ++returned;
    };
    net::co_spawn(io, run_workers(io.get_executor(), 3, worker),
                  [&](std::exception_ptr e, std::vector<std::exception_ptr> ended) {
                      CHECK_FALSE(e);
                      failures = std::move(ended);
                      done = true;
                  });
    run_until(io, done);
    REQUIRE(done);
    CHECK(returned == 1);
    REQUIRE(failures.size() == 3); // in the workers' order, not the order they ended in
    CHECK_FALSE(failures[0]);
    CHECK_THROWS_AS(std::rethrow_exception(failures[1]), fatal_error);
    CHECK_THROWS_AS(std::rethrow_exception(failures[2]), std::runtime_error);
}

TEST_CASE("run_workers: a cancellation of the caller reaches what every worker awaits") {
    net::io_context io;
    net::cancellation_signal halt;
    std::vector<std::exception_ptr> failures;
    bool done = false;
    auto worker = [&](int) -> net::awaitable<void> {
        net::steady_timer long_wait(io, an_hour);
        co_await long_wait.async_wait(net::use_awaitable);
    };
    net::co_spawn(io, run_workers(io.get_executor(), 4, worker),
                  net::bind_cancellation_slot(
                      halt.slot(), [&](std::exception_ptr, std::vector<std::exception_ptr> ended) {
                          failures = std::move(ended);
                          done = true;
                      }));
    io.poll();
    CHECK_FALSE(done);
    halt.emit(net::cancellation_type::terminal);
    io.poll();
    REQUIRE(done);
    REQUIRE(failures.size() == 4);
    for (const auto& e : failures)
        CHECK(aborted(e));
}

TEST_CASE("a cancellation reaches an HTTP request in flight: sent, not answered, at once") {
    net::io_context io;
    // A server that reads the request and never answers.
    net::ip::tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
    net::ip::tcp::socket peer(io);
    std::array<char, 512> request{};
    bool request_seen = false;
    acceptor.async_accept(peer, [&](boost::system::error_code ec) {
        REQUIRE_FALSE(ec);
        peer.async_read_some(net::buffer(request),
                             [&](boost::system::error_code, std::size_t) { request_seen = true; });
    });
    const auto where = parse_endpoint(
        "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()), "--base-url");
    http_session session(io.get_executor(), nullptr, where);
    http_call call{"GET", where.target("/users/me"), "", "", "Bearer t"};
    net::cancellation_signal halt;
    bool done = false;
    call_result result;
    net::co_spawn(
        io, session.call(call),
        net::bind_cancellation_slot(halt.slot(), [&](std::exception_ptr e, call_result r) {
            CHECK_FALSE(e);
            result = std::move(r);
            done = true;
        }));
    run_until(io, request_seen);
    REQUIRE(request_seen);
    const auto halted = steady::now();
    halt.emit(net::cancellation_type::terminal);
    run_until(io, done);
    REQUIRE(done);
    CHECK(steady::now() - halted < 2s); // the exchange's own timeout is 30 s
    CHECK(result.sent);
    CHECK_FALSE(result.ok());
}

namespace {
net::awaitable<void> an_hour_wait() {
    net::steady_timer timer(co_await net::this_coro::executor, an_hour);
    co_await timer.async_wait(net::use_awaitable);
}

net::awaitable<void> fails_soon() {
    net::steady_timer timer(co_await net::this_coro::executor, std::chrono::milliseconds(5));
    co_await timer.async_wait(net::use_awaitable);
    throw fatal_error(exit_code::no_permission, "refused");
}

net::awaitable<void> ends_soon() {
    net::steady_timer timer(co_await net::this_coro::executor, std::chrono::milliseconds(5));
    co_await timer.async_wait(net::use_awaitable);
}
} // namespace

TEST_CASE("first_to_end: the first to end cancels the others, even when it failed") {
    net::io_context io;
    bool done = false;
    std::exception_ptr failure;
    std::vector<net::awaitable<void>> racing;
    racing.push_back(an_hour_wait());
    racing.push_back(fails_soon()); // a run whose pipeline throws: its shutdown must not hold it
    net::co_spawn(io, first_to_end(std::move(racing)), [&](std::exception_ptr e, std::size_t) {
        failure = e;
        done = true;
    });
    run_until(io, done);
    REQUIRE(done);
    CHECK_THROWS_AS(std::rethrow_exception(failure), fatal_error);

    io.restart();
    done = false;
    std::size_t first = 9;
    racing.clear();
    racing.push_back(an_hour_wait());
    racing.push_back(ends_soon());
    net::co_spawn(io, first_to_end(std::move(racing)), [&](std::exception_ptr e, std::size_t i) {
        CHECK_FALSE(e);
        first = i;
        done = true;
    });
    run_until(io, done);
    REQUIRE(done);
    CHECK(first == 1);
}
