// The engine's transport in process, for unit tests of the request path: each connection it
// makes answers from a script (by method and target prefix) instead of the network, and
// records every request it is given. No socket is opened, no process started.
#pragma once

#include "zprov/net/transport.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace zprov::test {

// One answer of the script, or how the connection fails instead of answering.
struct scripted_answer {
    enum class fault {
        none,
        lost,        // written, then the connection dropped before an answer: in doubt
        unreachable, // the connection cannot be (re)opened: nothing is written
        certificate, // the server's certificate is refused at the handshake
        proxy,       // the proxy refuses our credentials (407)
        too_large,   // an answer longer than the call's answer_limit
    };
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    fault failure = fault::none;
};

// A Zoom answer: `status` with `body` (JSON) and `headers`.
scripted_answer answer(int status, const nlohmann::json& body = nlohmann::json::object(),
                       std::vector<std::pair<std::string, std::string>> headers = {});
// Zoom's error answer: {"code": C, "message": M}.
scripted_answer zoom_refusal(int status, int code, const std::string& message,
                             std::vector<std::pair<std::string, std::string>> headers = {});
// A 201 for POST /users: {"id": ID, ...}.
scripted_answer user_created(const std::string& id,
                             std::vector<std::pair<std::string, std::string>> headers = {});
scripted_answer failing(scripted_answer::fault how);

struct seen_request {
    std::string method, target, content_type, body, authorization;
    std::chrono::steady_clock::time_point at;
    bool written = true; // false: a fault kept it from the server (unreachable, refused)
};

class scripted_transport final : public transport {
public:
    using answerer = std::function<scripted_answer(const seen_request&)>;

    // Requests with `method` whose target starts with `prefix` (the longest prefix wins) get
    // `answers` in turn; the last one answers every later request.
    void on(const std::string& method, const std::string& prefix,
            std::vector<scripted_answer> answers);
    // ... or the answer `answerer` gives for each.
    void on(const std::string& method, const std::string& prefix, answerer answers);
    // The next opens of a connection fail in turn, as `how` says (before any request).
    void fail_opens(std::vector<scripted_answer::fault> how);

    std::unique_ptr<connection> connect(const endpoint& where,
                                        const session_timeouts& timeouts = {}) override;

    // Every request given to a connection, in order (also those a fault kept from Zoom).
    const std::vector<seen_request>& requests() const { return requests_; }
    // Those Zoom saw (written) with `method` whose target starts with `prefix`.
    std::vector<seen_request> requests(const std::string& method, const std::string& prefix) const;
    // Requests no route of the script matched (answered 501).
    int unscripted() const { return unscripted_; }
    int connections() const { return connections_; }

private:
    class scripted_connection;
    call_result respond(const endpoint& where, const http_call& request);
    call_result opened(const endpoint& where);

    std::map<std::pair<std::string, std::string>, answerer> routes_;
    std::deque<scripted_answer::fault> open_faults_;
    std::vector<seen_request> requests_;
    int unscripted_ = 0;
    int connections_ = 0;
};

} // namespace zprov::test
