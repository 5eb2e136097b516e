// One import at a time per Zoom account: two runs into one account (two sheets, two journals)
// share its limits and would draw each other's 429s. An advisory lock (flock) on a file named
// for the account, in the user's runtime directory ($XDG_RUNTIME_DIR/zprov/) or, without one,
// beside the journal; held for the whole run and released when the process ends (a kill -9
// too). The account is the one the run creates users in: --account-id, else the
// Server-to-Server app's ZOOM_ACCOUNT_ID; with ZOOM_ACCESS_TOKEN alone it is not known, and
// every such run to the same API host shares one lock. Throws fatal_error(cannot_write) when
// the lock file cannot be opened.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>

namespace zprov {

class send_pacer;
class stop_state;

class account_lock {
public:
    // `account`: the account id (may be empty: unknown), `api_host` the API's host[:port],
    // `journal` the run's journal (its directory holds the lock without a runtime directory).
    account_lock(const std::string& account, const std::string& api_host,
                 const std::string& journal);
    ~account_lock();
    account_lock(const account_lock&) = delete;
    account_lock& operator=(const account_lock&) = delete;

    // Takes the lock if no other process holds it; true once held.
    bool try_take();
    bool held() const { return held_; }
    // What names the account in messages ("account abc123", "the account of api.zoom.us").
    const std::string& account_name() const { return name_; }
    // The holder's process id as it wrote it in the file ("" when unknown).
    std::string holder() const;
    const std::string& path() const { return path_; }

private:
    std::string path_, name_;
    int fd_ = -1;
    bool held_ = false;
};

// Takes `lock` for the run (src/run/account_lock_wait.cpp). When another run holds it:
// without `wait` the run stops at once (75), sending nothing; with it (--wait-for-account),
// it waits for that run to end (trying every second, for a day at most), and then for one
// window of `pacer`, in which Zoom still counts that run's last requests. False when the run
// stops instead (`stop` has the reason); `say` tells the operator of the wait. Throws what
// try_take throws, and operation_aborted from a wait the run's halt cancels.
boost::asio::awaitable<bool> take_account(account_lock& lock, stop_state& stop, bool wait,
                                          const send_pacer& pacer,
                                          std::function<void(const std::string&)> say);

} // namespace zprov
