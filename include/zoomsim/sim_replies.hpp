// Building the simulator's answers: JSON bodies, Zoom's error bodies, dropped connections,
// and the one way emails are matched. Shared by the simulator's source files. Throws only
// std::bad_alloc.
#pragma once

#include "zoomsim/simulator.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace zoomsim {

// "2026-11-28T15:04:05Z", as Zoom writes created_at.
std::string iso_time(utc_time t);

// Zoom matches emails without regard to case.
std::string email_key(std::string_view email);

sim_reply json_reply(int status, const nlohmann::ordered_json& body);
// {"code", "message"} and, with a detail, "errors": [{"field", "message"}].
sim_reply error_reply(const api_error& error);
// The connection closed without an answer.
sim_reply dropped_reply();

} // namespace zoomsim
