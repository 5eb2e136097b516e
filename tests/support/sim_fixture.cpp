#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace zprov::test {

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
