// A webhook and ping receiver over HTTPS on 127.0.0.1 (tests/servers/webhook_receiver.py),
// with a certificate of the tests' CA: it stands for Slack's and Teams' incoming webhooks, a
// JSON receiver and a Healthchecks-style monitor, and logs every request, which the tests
// assert on. Stopped when it goes out of scope.
#pragma once

#include "support/local_server.hpp"
#include "support/process.hpp"
#include "support/zoomsim_server.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zprov::test {

class webhook_receiver {
public:
    // `mode`: "answer" (200), "hang" (never answers) or "status:N".
    webhook_receiver(const temp_dir& dir, const test_ca& ca, const std::string& mode = "answer");

    // "https://127.0.0.1:PORT" + `path_and_query`.
    std::string url(const std::string& path_and_query) const;
    // The requests received so far, in order: {"method", "path", "headers", "body", "at"}.
    std::vector<nlohmann::json> requests() const;

private:
    python_server server_;
};

} // namespace zprov::test
