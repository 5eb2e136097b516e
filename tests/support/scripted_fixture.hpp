// A scripted HTTP server on 127.0.0.1 (tests/servers/scripted_server.py) for integration
// tests that need answers zoomsim never gives: account refusals, endless 429s, a 503
// outage, interim answers. It logs every request it gets, which tests assert on.
#pragma once

#include "support/local_server.hpp"
#include "support/process.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zprov::test {

class scripted_server {
public:
    // `script`: {"routes": [{"method", "path", "answers": [...]}]} (see the server's doc).
    scripted_server(const temp_dir& dir, const nlohmann::json& script);
    ~scripted_server();

    std::string base_url() const; // "http://127.0.0.1:PORT/v2"
    // The requests received so far, in order: {"connection", "method", "path", "headers",
    // "body"}.
    std::vector<nlohmann::json> requests() const;

private:
    python_server server_;
};

// A Zoom-style answer: {"status": S, "body": {"code": C, "message": M}} plus `headers`.
nlohmann::json zoom_error(int status, int code, const std::string& message,
                          const nlohmann::json& headers = nlohmann::json::object());
// A 201 for a created user.
nlohmann::json zoom_created(const std::string& id);
// A script that answers POST /v2/users with `answer` every time, or with `answers` in turn
// (the last one repeated).
nlohmann::json script_creates(const nlohmann::json& answer);
nlohmann::json script_creates_in_turn(const std::vector<nlohmann::json>& answers);
// How many POST requests `server` has received so far.
std::size_t posts_received(const scripted_server& server);

// `zprov run CSV --base-url URL --progress never` plus `extra`, ZOOM_ACCESS_TOKEN set in
// the environment the process inherits; argv_against gives the command for a background run.
std::vector<std::string> argv_against(const std::string& base_url, const std::string& csv,
                                      std::vector<std::string> extra = {});
process_result run_against(const std::string& base_url, const std::string& csv,
                           std::vector<std::string> extra = {},
                           std::chrono::seconds limit = std::chrono::seconds(60));

} // namespace zprov::test
