// Host names looked up under a timeout. getaddrinfo cannot be cancelled, and Asio's own
// resolver would hold the io_context (and so the end of the run) until it returns: each
// lookup runs on a thread of its own, and one that outlives its timeout is left to finish
// there. The next lookup of the same name waits for that one rather than starting another,
// so a name service that never answers costs one thread per name_lookup, not one per try.
// Include from the network modules' .cpp files only (Asio).
#pragma once

#include "zprov/net/asio.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace zprov {

struct lookup_answer {
    boost::system::error_code ec; // net::error::timed_out when the timeout ran out
    net::ip::tcp::resolver::results_type results;
};

// The blocking step, run on the lookup's own thread.
using blocking_lookup =
    std::function<lookup_answer(const std::string& host, const std::string& port)>;

// getaddrinfo, through Asio.
lookup_answer system_lookup(const std::string& host, const std::string& port);

class name_lookup {
public:
    explicit name_lookup(blocking_lookup how = system_lookup);
    ~name_lookup();
    name_lookup(const name_lookup&) = delete;
    name_lookup& operator=(const name_lookup&) = delete;

    // The addresses of host:port, or an error; net::error::timed_out after `timeout`. One
    // lookup at a time per object.
    net::awaitable<lookup_answer> find(std::string host, std::string port,
                                       std::chrono::milliseconds timeout);

private:
    struct job;
    std::shared_ptr<job> start(const std::string& host, const std::string& port);

    blocking_lookup how_;
    std::shared_ptr<job> pending_; // a lookup that outlived its timeout, while it runs
};

} // namespace zprov
