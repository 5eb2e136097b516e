// zoomsim's record of its exchanges (--record FILE), for the contract check that holds the
// requests zoomsim receives and the answers it gives to Zoom's OpenAPI
// (tests/contract/check.py). One JSON line per request, appended and flushed as it is
// answered: the client (User-Agent), method, target, content type and body of the request,
// the status, content type and body of the answer, and whether it was answered at all. It
// never holds the Authorization header; for OAuth (/oauth/token: credentials and tokens) and
// zoomsim's own /_sim endpoints only the method, target and status. The constructor throws
// std::runtime_error when the file cannot be opened; writing never throws.
#pragma once

#include <fstream>
#include <string>
#include <string_view>

namespace zoomsim {

struct sim_request;
struct sim_reply;

class recorder {
public:
    explicit recorder(const std::string& path);

    void record(const sim_request& request, const sim_reply& reply);

private:
    std::ofstream out_;
};

} // namespace zoomsim
