// The one way the tests start a server beside them on a free port of 127.0.0.1: zoomsim
// (zoomsim_server.hpp) and the Python servers of tests/servers/ (python_server below: the
// scripted server, the webhook receiver, the CONNECT proxy). A server writes the port it
// listens on to a file (whole: renamed into place) once it accepts connections; it is stopped
// with SIGTERM when it goes out of scope. Every wait is bounded.
#pragma once

#include "support/process.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zprov::test {

class local_server {
public:
    // Starts `argv`, which writes its port to `port_file`; REQUIREs that it does within 10 s
    // (at once, with its standard error, when it exits first). `name` is for that message.
    local_server(const std::vector<std::string>& argv, const std::string& port_file,
                 const std::string& name);
    ~local_server();
    local_server(const local_server&) = delete;
    local_server& operator=(const local_server&) = delete;

    // SIGTERM, then at most 5 s for it to exit; nothing when it has exited already.
    void stop();
    const std::string& port() const { return port_; }
    background_process& process() { return process_; }

private:
    background_process process_;
    std::string port_;
};

// A server of tests/servers/ (`script`, "scripted_server.py" say) run by python3 with `args`,
// --port-file and --log in `dir`. It appends each request it gets to the log, one JSON object
// a line.
class python_server {
public:
    python_server(const temp_dir& dir, const std::string& script,
                  const std::vector<std::string>& args);

    const std::string& port() const { return server_.port(); }
    void stop() { server_.stop(); }
    // The log's lines so far, in order.
    std::vector<nlohmann::json> logged() const;

private:
    std::string stem_; // dir/SCRIPT-N: the port file and the log are stem_.port, stem_.log
    local_server server_;
};

// curl for these servers: silent but for errors, at most 10 s, the proxy environment ignored
// (the traffic stays on 127.0.0.1), then `more`.
std::vector<std::string> local_curl(const std::vector<std::string>& more = {});

} // namespace zprov::test
