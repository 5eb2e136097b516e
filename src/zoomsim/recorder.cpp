#include "zoomsim/recorder.hpp"

#include "zoomsim/simulator.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace zoomsim {

namespace {
// Bodies are recorded as text; bytes that are not UTF-8 become U+FFFD rather than fail.
std::string text(std::string_view bytes) {
    return std::string(bytes);
}

bool bodies_kept(std::string_view target) {
    const auto path = target.substr(0, target.find('?'));
    return path != zprov::zoom_api::oauth_token_path && !path.starts_with("/_sim/");
}
} // namespace

recorder::recorder(const std::string& path) : out_(path, std::ios::app | std::ios::binary) {
    if (!out_)
        throw std::runtime_error(path + ": cannot be opened for appending");
}

void recorder::record(const sim_request& request, const sim_reply& reply) {
    nlohmann::ordered_json line{{"client", text(request.user_agent)},
                                {"method", text(request.method)},
                                {"target", text(request.target)}};
    const bool answered = reply.what == disposition::answer;
    const bool bodies = bodies_kept(request.target);
    if (bodies) {
        line["content_type"] = text(request.content_type);
        line["request"] = text(request.body);
    }
    line["answered"] = answered;
    if (answered) {
        line["status"] = reply.status;
        if (bodies) {
            line["response_content_type"] = reply.content_type;
            line["response"] = reply.body;
        }
    }
    out_ << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    out_.flush();
}

} // namespace zoomsim
