#include "support/sim_fixture.hpp"

#include "support/contract_records.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace zprov::test {

test_ca make_test_ca(const std::string& dir) {
    auto r = run_process({zprov::test::source_dir() + "/scripts/make-test-ca", dir});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return {dir, dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
}

zoomsim_server::zoomsim_server(const temp_dir& dir, std::vector<std::string> args,
                               const test_ca* tls)
    : scheme_(tls ? "https" : "http"), ca_(tls ? tls->ca : "") {
    static int serial = 0;
    auto port_file = dir.path() + "/zoomsim-" + std::to_string(++serial) + ".port";
    // --realtime: requests are timed when they arrive however busy the machine is.
    std::vector<std::string> argv{zprov::test::zoomsim_program(),
                                  "--port",
                                  "0",
                                  "--port-file",
                                  port_file,
                                  "--realtime",
                                  "--record",
                                  new_record_file("zoomsim")};
    if (tls) {
        argv.insert(argv.end(), {"--tls-cert", tls->cert, "--tls-key", tls->key});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    process_ = std::make_unique<background_process>(argv);
    for (int i = 0; i < 200 && port_.empty(); ++i) { // at most 10 s
        std::ifstream in(port_file);
        std::getline(in, port_);
        if (port_.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE_MESSAGE(!port_.empty(), "zoomsim did not start: " << process_->err());
}

zoomsim_server::~zoomsim_server() {
    process_->terminate();
    process_->wait(std::chrono::seconds(5));
}

std::string zoomsim_server::base_url() const {
    return scheme_ + "://127.0.0.1:" + port_ + "/v2";
}
std::string zoomsim_server::oauth_url() const {
    return scheme_ + "://127.0.0.1:" + port_ + "/oauth/token";
}

std::vector<std::string> zoomsim_server::curl_args() const {
    std::vector<std::string> a{"/usr/bin/curl", "-sS", "--max-time", "10", "--noproxy", "*"};
    if (!ca_.empty())
        a.insert(a.end(), {"--cacert", ca_});
    return a;
}

nlohmann::json zoomsim_server::stats() const {
    return sim_get("/_sim/stats");
}

nlohmann::json zoomsim_server::sim_get(const std::string& path) const {
    auto a = curl_args();
    a.push_back(scheme_ + "://127.0.0.1:" + port_ + path);
    auto r = run_process(a);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return nlohmann::json::parse(r.out);
}

nlohmann::json zoomsim_server::users() const {
    return sim_get("/_sim/users");
}

nlohmann::json zoomsim_server::calls() const {
    return sim_get("/_sim/calls");
}

void zoomsim_server::next_day() const {
    control("next-day", nlohmann::json::object());
}

nlohmann::json zoomsim_server::activate(const nlohmann::json& which) const {
    return control("activate", which);
}

nlohmann::json zoomsim_server::control(const std::string& what, const nlohmann::json& body) const {
    auto a = curl_args();
    a.insert(a.end(),
             {"-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body.dump(),
              "-w", "\n%{http_code}", scheme_ + "://127.0.0.1:" + port_ + "/_sim/" + what});
    auto r = run_process(a);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto last = r.out.rfind('\n');
    REQUIRE_MESSAGE(r.out.substr(last + 1) == "200", "/_sim/" << what << ": " << r.out);
    return nlohmann::json::parse(r.out.substr(0, last));
}

nlohmann::json zoomsim_server::api(const std::string& method, const std::string& path,
                                   const nlohmann::json& body) const {
    auto a = curl_args();
    a.insert(a.end(), {"-X", method, "-H", std::string("Authorization: Bearer ") + run_env::token});
    if (!body.is_null())
        a.insert(a.end(), {"-H", "Content-Type: application/json", "--data-binary", body.dump()});
    a.insert(a.end(), {"-w", "\n%{http_code}", scheme_ + "://127.0.0.1:" + port_ + "/v2" + path});
    auto r = run_process(a);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto last = r.out.rfind('\n');
    auto text = r.out.substr(0, last);
    return {
        {"status", std::stoi(r.out.substr(last + 1))},
        {"body", text.empty() ? nlohmann::json() : nlohmann::json::parse(text, nullptr, false)}};
}

std::string users_csv(int n, const std::string& tag, int first) {
    std::string csv = "Email,First Name,Last Name,Department\n";
    for (int i = first; i < first + n; ++i)
        csv += "user" + std::to_string(i) + "@" + tag + ".example.com,User,Number " +
               std::to_string(i) + ",Sales\n";
    return csv;
}

int created_count(const nlohmann::json& stats, const std::string& email) {
    const auto& by = stats["creations_by_email"];
    return by.contains(email) ? by[email].get<int>() : 0;
}

std::string utc_date_plus(int days) {
    auto t = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
             std::chrono::days(days);
    std::chrono::year_month_day ymd{t};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::int64_t requests_but_lists(const nlohmann::json& stats) {
    return stats["requests_total"].get<std::int64_t>() - stats["user_lists"].get<std::int64_t>();
}

std::map<std::string, nlohmann::json> users_by_email(const zoomsim_server& sim) {
    std::map<std::string, nlohmann::json> out;
    const auto doc = sim.users(); // named: a temporary would die before the loop's body
    for (const auto& u : doc["users"])
        out[u["email"].get<std::string>()] = u;
    return out;
}

nlohmann::json journal_status(const std::string& journal) {
    auto r = run_process({zprov::test::zprov_program(), "status", journal, "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return nlohmann::json::parse(r.out);
}

run_env::run_env() : ca(make_test_ca(dir.path() + "/tls")) {
    ::setenv("ZOOM_ACCESS_TOKEN", token, 1);
}

std::vector<std::string> run_env::argv(const zoomsim_server& sim, const std::string& csv,
                                       std::vector<std::string> extra) const {
    std::vector<std::string> a{zprov::test::zprov_program(),
                               "run",
                               csv,
                               "--base-url",
                               sim.base_url(),
                               "--ca-file",
                               ca.ca,
                               "--progress",
                               "never"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

process_result run_env::zprov(const zoomsim_server& sim, const std::string& csv,
                              std::vector<std::string> extra, std::chrono::seconds limit) const {
    return run_process(argv(sim, csv, std::move(extra)), "", limit);
}

oauth_credentials::oauth_credentials() {
    ::unsetenv("ZOOM_ACCESS_TOKEN");
    ::setenv("ZOOM_ACCOUNT_ID", account, 1);
    ::setenv("ZOOM_CLIENT_ID", client, 1);
    ::setenv("ZOOM_CLIENT_SECRET", secret, 1);
}

oauth_credentials::~oauth_credentials() {
    for (const char* name : {"ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"})
        ::unsetenv(name);
}

std::vector<std::string> oauth_credentials::sim_args(std::vector<std::string> more) {
    std::vector<std::string> a{"--client-id", client,         "--client-secret",
                               secret,        "--account-id", account};
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

} // namespace zprov::test
