#include "support/scripted_transport.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/system/errc.hpp>

#include <memory>

namespace zprov::test {

namespace {
// OpenSSL's X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: an unknown issuer.
constexpr long unknown_issuer = 20;

transport_error failure_of(scripted_answer::fault how, const endpoint& where) {
    using fault = scripted_answer::fault;
    transport_error e;
    e.peer = where.host_header;
    e.host = where.host;
    switch (how) {
    case fault::lost:
        e.stage = net_stage::read;
        e.code = boost::system::errc::make_error_code(boost::system::errc::connection_reset);
        break;
    case fault::unreachable:
        e.stage = net_stage::connect;
        e.code = boost::system::errc::make_error_code(boost::system::errc::connection_refused);
        break;
    case fault::certificate:
        e.stage = net_stage::handshake;
        e.code = make_error_code(net_errc::certificate_refused);
        e.verify_result = unknown_issuer;
        break;
    case fault::proxy:
        e.stage = net_stage::proxy;
        e.code = make_error_code(net_errc::proxy_credentials_refused);
        e.peer = "proxy http://proxy.test:3128";
        e.proxy_status = 407;
        e.proxy_reason = "Proxy Authentication Required";
        e.proxy_credentials = true;
        break;
    case fault::too_large:
        e.stage = net_stage::read;
        e.code = boost::beast::http::error::body_limit;
        break;
    case fault::none:
        break;
    }
    return e;
}
} // namespace

scripted_answer answer(int status, const nlohmann::json& body,
                       std::vector<std::pair<std::string, std::string>> headers) {
    return {status, body.dump(), std::move(headers), scripted_answer::fault::none};
}

scripted_answer zoom_refusal(int status, int code, const std::string& message,
                             std::vector<std::pair<std::string, std::string>> headers) {
    return answer(status, {{"code", code}, {"message", message}}, std::move(headers));
}

scripted_answer user_created(const std::string& id,
                             std::vector<std::pair<std::string, std::string>> headers) {
    return answer(201, {{"id", id}, {"first_name", "A"}, {"type", 1}}, std::move(headers));
}

scripted_answer failing(scripted_answer::fault how) {
    scripted_answer a;
    a.status = 0;
    a.failure = how;
    return a;
}

class scripted_transport::scripted_connection final : public connection {
public:
    scripted_connection(scripted_transport& script, endpoint where)
        : script_(script), where_(std::move(where)) {}

    boost::asio::awaitable<call_result> open() override { co_return script_.opened(where_); }
    boost::asio::awaitable<call_result> call(const http_call& request) override {
        co_return script_.respond(where_, request);
    }
    boost::asio::awaitable<void> close() override { co_return; }

private:
    scripted_transport& script_;
    endpoint where_;
};

void scripted_transport::on(const std::string& method, const std::string& prefix,
                            std::vector<scripted_answer> answers) {
    auto queue = std::make_shared<std::deque<scripted_answer>>(answers.begin(), answers.end());
    on(method, prefix, [queue](const seen_request&) {
        auto next = queue->front();
        if (queue->size() > 1)
            queue->pop_front();
        return next;
    });
}

void scripted_transport::on(const std::string& method, const std::string& prefix,
                            answerer answers) {
    routes_[{method, prefix}] = std::move(answers);
}

void scripted_transport::fail_opens(std::vector<scripted_answer::fault> how) {
    open_faults_.insert(open_faults_.end(), how.begin(), how.end());
}

std::unique_ptr<connection> scripted_transport::connect(const endpoint& where,
                                                        const session_timeouts&) {
    ++connections_;
    return std::make_unique<scripted_connection>(*this, where);
}

std::vector<seen_request> scripted_transport::requests(const std::string& method,
                                                       const std::string& prefix) const {
    std::vector<seen_request> out;
    for (const auto& r : requests_)
        if (r.written && r.method == method && r.target.starts_with(prefix))
            out.push_back(r);
    return out;
}

call_result scripted_transport::opened(const endpoint& where) {
    call_result r;
    if (!open_faults_.empty()) {
        r.failure = failure_of(open_faults_.front(), where);
        open_faults_.pop_front();
    }
    return r;
}

call_result scripted_transport::respond(const endpoint& where, const http_call& request) {
    requests_.push_back({request.method, request.target, request.content_type, request.body,
                         request.authorization, std::chrono::steady_clock::now()});
    const auto& seen = requests_.back();
    const answerer* route = nullptr;
    std::size_t longest = 0;
    for (const auto& [key, answers] : routes_)
        if (key.first == request.method && request.target.starts_with(key.second) &&
            (route == nullptr || key.second.size() > longest)) {
            route = &answers;
            longest = key.second.size();
        }
    call_result r;
    if (route == nullptr) {
        ++unscripted_;
        r.sent = true;
        r.sent_at = seen.at;
        r.reply.status = 501;
        r.reply.body = R"({"message":"not in the test's script"})";
        return r;
    }
    const auto a = (*route)(seen);
    if (a.failure == scripted_answer::fault::none || a.failure == scripted_answer::fault::lost ||
        a.failure == scripted_answer::fault::too_large) {
        r.sent = true;
        r.sent_at = seen.at;
    } else {
        requests_.back().written = false;
    }
    if (a.failure != scripted_answer::fault::none) {
        r.failure = failure_of(a.failure, where);
        r.failure->answer_limit = request.answer_limit;
        return r;
    }
    r.reply.status = a.status;
    r.reply.body = a.body;
    r.reply.headers = a.headers;
    return r;
}

} // namespace zprov::test
