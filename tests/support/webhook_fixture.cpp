#include "support/webhook_fixture.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace zprov::test {

webhook_receiver::webhook_receiver(const temp_dir& dir, const test_ca& ca,
                                   const std::string& mode) {
    static int serial = 0;
    const auto name = dir.path() + "/webhook-" + std::to_string(++serial);
    log_ = name + ".log";
    const auto port_file = name + ".port";
    process_ = std::make_unique<background_process>(std::vector<std::string>{
        "/usr/bin/python3", source_dir() + "/tests/servers/webhook_receiver.py", "--cert", ca.cert,
        "--key", ca.key, "--port-file", port_file, "--log", log_, "--mode", mode});
    wait_until([&] { return !slurp(port_file).empty(); }, std::chrono::seconds(10));
    std::istringstream(slurp(port_file)) >> port_;
    REQUIRE_MESSAGE(!port_.empty(), "the webhook receiver did not start: " << process_->err());
}

webhook_receiver::~webhook_receiver() {
    process_->terminate();
    process_->wait(std::chrono::seconds(5));
}

std::string webhook_receiver::url(const std::string& path_and_query) const {
    return "https://127.0.0.1:" + port_ + path_and_query;
}

std::vector<nlohmann::json> webhook_receiver::requests() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(slurp(log_));
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            out.push_back(nlohmann::json::parse(line));
    return out;
}

} // namespace zprov::test
