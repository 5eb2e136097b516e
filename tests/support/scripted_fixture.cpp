#include "support/scripted_fixture.hpp"

#include "support/contract_records.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace zprov::test {

scripted_server::scripted_server(const temp_dir& dir, const nlohmann::json& script) {
    static int serial = 0;
    const auto name = dir.path() + "/scripted-" + std::to_string(++serial);
    dir.file(name.substr(dir.path().size() + 1) + ".json", script.dump());
    log_ = name + ".log";
    const auto port_file = name + ".port";
    process_ = std::make_unique<background_process>(std::vector<std::string>{
        "/usr/bin/python3", (zprov::test::source_dir() + "/tests/servers/scripted_server.py"),
        "--script", name + ".json", "--port-file", port_file, "--log", log_});
    wait_until([&] { return !slurp(port_file).empty(); }, std::chrono::seconds(10));
    std::istringstream(slurp(port_file)) >> port_;
    REQUIRE_MESSAGE(!port_.empty(), "the scripted server did not start: " << process_->err());
}

scripted_server::~scripted_server() {
    process_->terminate();
    process_->wait(std::chrono::seconds(5));
    record_requests(new_record_file("scripted"), requests());
}

std::string scripted_server::base_url() const {
    return "http://127.0.0.1:" + port_ + "/v2";
}

std::vector<nlohmann::json> scripted_server::requests() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(slurp(log_));
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            out.push_back(nlohmann::json::parse(line));
    return out;
}

nlohmann::json zoom_error(int status, int code, const std::string& message,
                          const nlohmann::json& headers) {
    return {
        {"status", status}, {"headers", headers}, {"body", {{"code", code}, {"message", message}}}};
}

nlohmann::json zoom_created(const std::string& id) {
    return {{"status", 201},
            {"body",
             {{"id", id}, {"first_name", "A"}, {"last_name", "B"}, {"email", "x"}, {"type", 1}}}};
}

nlohmann::json script_creates(const nlohmann::json& answer) {
    return script_creates_in_turn({answer});
}

nlohmann::json script_creates_in_turn(const std::vector<nlohmann::json>& answers) {
    return {{"routes", {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", answers}}}}};
}

std::size_t posts_received(const scripted_server& server) {
    std::size_t n = 0;
    for (const auto& r : server.requests())
        n += r["method"] == "POST";
    return n;
}

std::vector<std::string> argv_against(const std::string& base_url, const std::string& csv,
                                      std::vector<std::string> extra) {
    ::setenv("ZOOM_ACCESS_TOKEN", "scripted-token", 1);
    std::vector<std::string> argv{
        zprov::test::zprov_program(), "run", csv, "--base-url", base_url, "--progress", "never"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

process_result run_against(const std::string& base_url, const std::string& csv,
                           std::vector<std::string> extra, std::chrono::seconds limit) {
    return run_process(argv_against(base_url, csv, std::move(extra)), "", limit);
}

} // namespace zprov::test
