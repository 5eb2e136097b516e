// What the stages of one `zprov run` share: the row on its way, the run's counts, and why
// the run stops. Plain values and one event; throws only what a listener throws.
#pragma once

#include "zprov/exit_codes.hpp"
#include "zprov/journal.hpp"
#include "zprov/validation.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zprov {

// A row that needs sending.
struct work_item {
    user_record user;
    unsigned line = 0;
    std::string key;                // lower-cased email: the row's identity
    std::vector<std::string> cells; // the row as read, secrets blanked, for the report
    std::string intent_day;         // UTC day of the latest intent
    // When a request for the row was first sent without an answer (an earlier run's intent,
    // or this run's dropped attempt): a user Zoom created since then is this import's.
    std::optional<sys_seconds> doubt_since;
    // Created by an earlier run: only the steps after the create (group, profile) are owed, or
    // changed by the sheet since they were applied (run/step_plan).
    bool steps_only = false;
    // A re-invite (run --reinvite, see run/reinvites): the Zoom id of the user to delete
    // before the row is created again, and whether the account's pending users listed it.
    std::string reinvite_id{};
    bool reinvite_listed = false;
};

struct run_counters : outcome_counts {
    std::int64_t skipped = 0;          // settled by an earlier run
    std::int64_t rejected_before = 0;  // of those, rejected by Zoom (--retry-failed resends)
    std::int64_t elsewhere_before = 0; // of those, Zoom users of another account
    std::int64_t requests = 0;
    std::int64_t rate_limited = 0;
    std::int64_t done() const { return created + exists + rejected + failed + elsewhere; }
};

// Callbacks called at each change of something (the stop state, the day's budget): how a
// wait learns of a change at once instead of polling for it.
class wake_list {
public:
    wake_list() = default;
    wake_list(const wake_list&) = delete; // listeners hold its address
    wake_list& operator=(const wake_list&) = delete;

    // A registration made by listen(): `wake` is called at each notify() until it is
    // destroyed. Move-only; must not outlive the list.
    class listening {
    public:
        listening(listening&& other) noexcept
            : list_(std::exchange(other.list_, nullptr)), id_(other.id_) {}
        listening& operator=(listening&&) = delete;
        listening(const listening&) = delete;
        ~listening() {
            if (list_ != nullptr)
                list_->listeners_.erase(id_);
        }

    private:
        friend class wake_list;
        listening(wake_list& list, std::uint64_t id) : list_(&list), id_(id) {}
        wake_list* list_;
        std::uint64_t id_;
    };
    [[nodiscard]] listening listen(std::function<void()> wake) {
        listeners_.emplace(++last_id_, std::move(wake));
        return listening(*this, last_id_);
    }

    void notify() {
        // A listener may register or leave while another is called: call those still there.
        std::vector<std::uint64_t> ids;
        for (const auto& entry : listeners_)
            ids.push_back(entry.first);
        for (auto id : ids)
            if (auto it = listeners_.find(id); it != listeners_.end())
                it->second();
    }

private:
    std::map<std::uint64_t, std::function<void()>> listeners_;
    std::uint64_t last_id_ = 0;
};

// Why the run stops: the run's one stop event. The first reason wins; an interruption (a
// signal) also means that work waiting for its turn gives up, while requests already sent
// are answered; a halt (a second signal, or the grace period over) abandons the requests in
// flight too. Every change is announced at once to whoever listens (the run's waits, see
// run/row_waits), so that no wait polls the state.
class stop_state {
public:
    stop_state() = default;
    stop_state(const stop_state&) = delete; // listeners hold its address
    stop_state& operator=(const stop_state&) = delete;

    using listening = wake_list::listening;
    // `wake` is called after each change until the registration is destroyed.
    [[nodiscard]] listening listen(std::function<void()> wake) {
        return changes_.listen(std::move(wake));
    }

    void request(exit_code code, const std::string& message) {
        if (!stopping_ || code_ == exit_code::ok) {
            code_ = code;
            message_ = message;
        }
        stopping_ = true;
        changes_.notify();
    }
    void interrupt(const std::string& message) {
        interrupted_ = true;
        request(exit_code::paused, message);
    }
    void halt(const std::string& message) {
        halted_ = true;
        interrupt(message);
    }

    bool stopping() const { return stopping_; }
    bool interrupted() const { return interrupted_; }
    bool halted() const { return halted_; }
    // A worker holding an intent within the day's budget still sends it when the run stops
    // at the daily cap; it gives up on an interruption or a fatal stop.
    bool abandons_waiting() const {
        return interrupted_ || (stopping_ && code_ != exit_code::paused);
    }
    exit_code code() const { return code_; }
    const std::string& message() const { return message_; }

private:
    bool stopping_ = false;
    bool interrupted_ = false;
    bool halted_ = false;
    exit_code code_ = exit_code::ok;
    std::string message_;
    wake_list changes_;
};

} // namespace zprov
