// zoomsim (zoomsim_server.hpp) driven with curl over 127.0.0.1, as a client would drive
// Zoom: curl's answers parsed, and small request builders. For the integration tests of
// zoomsim (test_sim_server_*.cpp). Every wait is bounded.
#pragma once

#include "support/process.hpp"
#include "support/zoomsim_server.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zprov::test {

inline const std::string zoomsim_bin = zprov::test::zoomsim_program();
inline const std::string curl_bin = "/usr/bin/curl";

struct http_response {
    int status = 0;
    std::map<std::string, std::string> headers; // names lower-cased
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
    nlohmann::json document() const { return nlohmann::json::parse(body); }
};

struct curl_result {
    int exit_code = -1;
    std::vector<http_response> responses; // final answers in order (1xx skipped)
    std::string err;

    const http_response& only() const; // REQUIREs exactly one answer
};

// Splits `curl -i` output into responses; zoomsim always sends Content-Length.
std::vector<http_response> parse_responses(std::string_view text);

// curl with its output parsed; the proxy environment is ignored so traffic stays local.
curl_result curl(const std::vector<std::string>& args);

// The status of each URL in one curl run (one keep-alive connection); 0 for no answer.
std::vector<int> curl_statuses(const std::vector<std::string>& options,
                               const std::vector<std::string>& urls);

std::string user_json(const std::string& email, const std::string& action = "create",
                      const std::string& extra = "");
curl_result post_json(const zoomsim_server& sim, const std::string& body,
                      const std::string& token = "T");
curl_result get_user(const zoomsim_server& sim, const std::string& who,
                     const std::string& token = "T");

// "2026-11-28" -> "2026-11-29T00:00:00Z".
std::string next_midnight(const std::string& day);
// `text` with the first `from` replaced by `to` (REQUIREs that there is one).
std::string replace_once(const std::string& text, std::string_view from, std::string_view to);

// zoomsim options: the static token "T" and room enough never to be rate-limited.
inline const std::vector<std::string> token_and_room = {"--access-token", "T",           "--qps",
                                                        "1000",           "--daily-cap", "1000"};

} // namespace zprov::test
