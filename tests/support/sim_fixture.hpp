// zprov run against zoomsim (zoomsim_server.hpp) as a process, for the integration tests:
// the environment it inherits (a test CA, the token, or OAuth credentials), its command line,
// the sheets they feed it, and what zoomsim's record and `zprov status` say afterwards.
#pragma once

#include "support/process.hpp"
#include "support/zoomsim_server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace zprov::test {

// API requests zoomsim answered besides the lists of pending users (GET /users) that every
// run makes while the journal holds users it made pending: what a rerun that has nothing to
// create or update may still send.
std::int64_t requests_but_lists(const nlohmann::json& stats);

// zoomsim's users (GET /_sim/users) by email.
std::map<std::string, nlohmann::json> users_by_email(const zoomsim_server& sim);

// "Email,First Name,Last Name,Department" and n users user{i}@{tag}.example.com.
std::string users_csv(int n, const std::string& tag, int first = 0);
// How many times zoomsim created `email` (more than 1 would be a double create).
int created_count(const nlohmann::json& stats, const std::string& email);
// Today's UTC date plus `days`, as "2026-11-28".
std::string utc_date_plus(int days);
// `zprov status JOURNAL --json`.
nlohmann::json journal_status(const std::string& journal);

// A temp dir, a test CA and the token zoomsim accepts, set in the environment that zprov
// inherits.
struct run_env {
    static constexpr const char* token = test_access_token;
    temp_dir dir;
    test_ca ca;
    run_env();
    // `zprov run CSV` against `sim` over TLS, trusting the test CA, without progress lines.
    process_result zprov(const zoomsim_server& sim, const std::string& csv,
                         std::vector<std::string> extra = {},
                         std::chrono::seconds limit = std::chrono::seconds(120)) const;
    std::vector<std::string> argv(const zoomsim_server& sim, const std::string& csv,
                                  std::vector<std::string> extra = {}) const;
};

// Server-to-Server OAuth instead of run_env's access token: the credentials in the
// environment zprov inherits for the object's life, and the zoomsim options that grant
// tokens for them.
struct oauth_credentials {
    static constexpr const char* account = "acct-1";
    static constexpr const char* client = "client-1";
    static constexpr const char* secret = "s3cret-client-value";
    oauth_credentials();
    ~oauth_credentials();
    oauth_credentials(const oauth_credentials&) = delete;
    oauth_credentials& operator=(const oauth_credentials&) = delete;
    // --client-id, --client-secret and --account-id for them, then `more`.
    static std::vector<std::string> sim_args(std::vector<std::string> more = {});
};

} // namespace zprov::test
