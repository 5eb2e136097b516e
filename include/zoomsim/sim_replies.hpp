// The requests the simulator reads and the answers it gives, as plain values, and how its
// modules build those answers: JSON bodies, Zoom's error bodies, dropped connections, and the
// one way emails are matched. Throws only std::bad_alloc.
#pragma once

#include "zoomsim/zoom_errors.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zoomsim {

// The parts of an HTTP request the simulator looks at; views into the server's request.
struct sim_request {
    std::string_view method;
    std::string_view target; // path and query
    std::string_view authorization;
    std::string_view content_type;
    std::string_view body;
    std::string_view user_agent = {}; // recorded, to tell zprov's requests from tests'
};

enum class disposition {
    answer,
    drop, // close the connection without answering
};

struct sim_reply {
    disposition what = disposition::answer;
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds delay{0}; // wait this long before answering (or dropping)
    bool counted = true; // false for /_sim: tests looking on are not the client's traffic
};

// Zoom matches emails without regard to case.
std::string email_key(std::string_view email);

sim_reply json_reply(int status, const nlohmann::ordered_json& body);
// {"code", "message"} and, with a detail, "errors": [{"field", "message"}].
sim_reply error_reply(const api_error& error);
// The connection closed without an answer.
sim_reply dropped_reply();
// 204, no body.
sim_reply no_content();

// Emails of --existing FILE: one a line; blank lines and lines starting with '#' skipped.
// Throws std::runtime_error when the file cannot be read or a line is no email.
std::vector<std::string> read_email_list(const std::string& path);

} // namespace zoomsim
