// The run's one stop, and the one way its waits learn of it. A stop has a reason (the first
// one given wins: its exit code and message) and goes as far as a level: `stopping` (the
// daily cap: no new creates, and the waits nothing sent depends on end), `abandoning` (an
// interruption or a fatal refusal: waits for a turn or a token end too; the requests in
// flight are answered and journaled) and `halted` (a second signal, or the grace period over:
// the run's shutdown coroutine (run/shutdown) ends, and the run's cancellation abandons the
// requests in flight). Every wait races until() of its level against its own end
// (run/row_waits); nothing polls. Throws nothing but std::bad_alloc.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/run/run_state.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

namespace zprov {

// Something that changes, which coroutines wait for without polling: notify() ends every
// wait() in progress. (An Asio timer that never expires, cancelled at each notice.)
class event {
public:
    event();
    ~event();
    event(const event&) = delete;
    event& operator=(const event&) = delete;

    void notify();
    boost::asio::awaitable<void> wait();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

enum class stop_level { running, stopping, abandoning, halted };

class stop_state {
public:
    // A reason to stop: `paused` stops, any other abandons waiting (as the first reason says).
    void request(exit_code code, const std::string& message);
    // A signal: a pause (exit 75) that abandons waiting.
    void interrupt(const std::string& message);
    // The requests in flight are abandoned too.
    void halt(const std::string& message);

    stop_level level() const { return level_; }
    bool reached(stop_level level) const { return level_ >= level; }
    bool stopping() const { return reached(stop_level::stopping); }
    // A worker holding an intent within the day's budget still sends it when the run stops
    // at the daily cap; it gives up on an interruption or a fatal stop.
    bool abandons_waiting() const { return reached(stop_level::abandoning); }
    bool halted() const { return reached(stop_level::halted); }

    const stop_reason& reason() const { return reason_; }
    exit_code code() const { return reason_.code; }
    const std::string& message() const { return reason_.message; }

    // Ends as soon as the stop has reached `level` (at once if it has).
    boost::asio::awaitable<void> until(stop_level level);

private:
    void raise(stop_level level);

    stop_level level_ = stop_level::running;
    stop_reason reason_;
    event changed_;
};

} // namespace zprov
