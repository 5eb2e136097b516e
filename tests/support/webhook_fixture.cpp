#include "support/webhook_fixture.hpp"

namespace zprov::test {

webhook_receiver::webhook_receiver(const temp_dir& dir, const test_ca& ca, const std::string& mode)
    : server_(dir, "webhook_receiver.py", {"--cert", ca.cert, "--key", ca.key, "--mode", mode}) {}

std::string webhook_receiver::url(const std::string& path_and_query) const {
    return "https://127.0.0.1:" + server_.port() + path_and_query;
}

std::vector<nlohmann::json> webhook_receiver::requests() const {
    return server_.logged();
}

} // namespace zprov::test
