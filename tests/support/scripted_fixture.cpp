#include "support/scripted_fixture.hpp"

#include "support/contract_records.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

namespace zprov::test {

namespace {
// The script in a file of `dir`, for --script.
std::string script_file(const temp_dir& dir, const nlohmann::json& script) {
    static int serial = 0;
    return dir.file("script-" + std::to_string(++serial) + ".json", script.dump());
}
} // namespace

scripted_server::scripted_server(const temp_dir& dir, const nlohmann::json& script)
    : server_(dir, "scripted_server.py", {"--script", script_file(dir, script)}) {}

scripted_server::~scripted_server() {
    server_.stop();
    record_requests(new_record_file("scripted"), requests());
}

std::string scripted_server::base_url() const {
    return "http://127.0.0.1:" + server_.port() + "/v2";
}

std::vector<nlohmann::json> scripted_server::requests() const {
    return server_.logged();
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
