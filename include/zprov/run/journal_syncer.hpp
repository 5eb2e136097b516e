// Group commit for the journal: flushes (fdatasync) run on a thread of their own, so that a
// worker waiting for its intent to be on disk does not stall the others on the one I/O
// thread, and one flush covers every record written before it, however many workers wait.
// Records are written (write(2), whole) on the I/O thread as before; durable(size) waits
// until a flush has covered the journal up to `size`.
//
// A failed flush cuts the journal back and throws fatal_error(exit_code::cannot_write) from
// durable(), as a failed append does; a cancelled durable() throws operation_aborted (it
// never returns before the flush). The destructor stops and joins the thread.
#pragma once

#include "zprov/journal/file.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace zprov {

class journal_syncer {
public:
    journal_syncer(boost::asio::any_io_executor executor, journal_file& file);
    ~journal_syncer();
    journal_syncer(const journal_syncer&) = delete;
    journal_syncer& operator=(const journal_syncer&) = delete;

    boost::asio::awaitable<void> durable(std::uint64_t size);

    std::uint64_t flushes() const { return flushes_; } // fdatasync calls so far

private:
    struct waiter;
    void flush_loop();
    void flushed(std::uint64_t size, int error); // on the I/O thread

    boost::asio::any_io_executor executor_;
    journal_file& file_;
    std::list<waiter*> waiters_; // I/O thread only
    std::uint64_t synced_ = 0;   // I/O thread's view
    int error_ = 0;              // I/O thread's view

    std::mutex mutex_;
    std::condition_variable wake_;
    std::uint64_t requested_ = 0; // guarded by mutex_
    bool stop_ = false;           // guarded by mutex_
    std::atomic<std::uint64_t> flushes_ = 0;
    std::thread thread_;
};

} // namespace zprov
