#include "zoomsim/recorder.hpp"

#include "zoomsim/sim_replies.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace zoomsim {

namespace {
bool bodies_kept(std::string_view target) {
    const auto path = target.substr(0, target.find('?'));
    // OAuth's bodies hold credentials and tokens: none under /oauth/, whatever the spelling.
    return !path.starts_with("/oauth/") && !path.starts_with("/_sim/");
}
} // namespace

recorder::recorder(const std::string& path) : out_(path, std::ios::app | std::ios::binary) {
    if (!out_)
        throw std::runtime_error(path + ": cannot be opened for appending");
}

void recorder::record(const sim_request& request, const sim_reply& reply) {
    nlohmann::ordered_json line{{"client", std::string(request.user_agent)},
                                {"method", std::string(request.method)},
                                {"target", std::string(request.target)}};
    const bool answered = reply.what == disposition::answer;
    const bool bodies = bodies_kept(request.target);
    if (bodies) {
        line["content_type"] = std::string(request.content_type);
        line["request"] = std::string(request.body);
    }
    line["answered"] = answered;
    if (answered) {
        line["status"] = reply.status;
        if (bodies) {
            line["response_content_type"] = reply.content_type;
            line["response"] = reply.body;
        }
    }
    // Bodies are text; bytes that are not UTF-8 become U+FFFD rather than fail the record.
    out_ << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    out_.flush();
}

} // namespace zoomsim
