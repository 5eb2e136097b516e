// A real zoomsim process on 127.0.0.1 for integration tests: started with a free port
// (--port-file), over TLS with a throw-away CA when asked, queried through curl for its own
// record (/_sim/stats). Stopped when the fixture goes out of scope.
#pragma once

#include "support/process.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace zprov::test {

struct test_ca {
    std::string dir, ca, cert, key;
};

// A CA and a server certificate for 127.0.0.1/localhost (scripts/make-test-ca) in `dir`.
test_ca make_test_ca(const std::string& dir);

class zoomsim_server {
public:
    // `args` are extra zoomsim options; `tls` serves HTTPS with a certificate of `ca`.
    zoomsim_server(const temp_dir& dir, std::vector<std::string> args,
                   const test_ca* tls = nullptr);
    ~zoomsim_server();

    std::string base_url() const; // "https://127.0.0.1:PORT/v2"
    std::string oauth_url() const;
    nlohmann::json stats() const;
    // GET /_sim/users: {"users": [{id, email, first_name, last_name, display_name, status
    // (pending, active or expired), user_created_at, group (the primary's name), groups,
    // primary_group, profile}], "sub_accounts": {id: [the same]}}.
    nlohmann::json users() const;
    // GET /_sim/calls: {"arrivals_ms": {"Light": [...], "Medium": [...]}}, when each API
    // request came, in ms from zoomsim's start.
    nlohmann::json calls() const;
    void next_day() const;
    // POST /_sim/activate: pending users accept their invitations; `which` is
    // {"emails": [...]} or {"all": true}. Returns zoomsim's answer, {"activated": N}.
    nlohmann::json activate(const nlohmann::json& which) const;
    // POST /_sim/`what` with `body` (advance, activate-on, delete-fault: see zoomsim --help);
    // zoomsim's answer, REQUIREd to be 200.
    nlohmann::json control(const std::string& what, const nlohmann::json& body) const;
    // A Users API request as another administrator of the account would send it (run_env's
    // token): {"status": N, "body": the answer parsed, or null}.
    nlohmann::json api(const std::string& method, const std::string& path,
                       const nlohmann::json& body = nullptr) const;
    const std::string& log() const;

private:
    std::vector<std::string> curl_args() const;
    nlohmann::json sim_get(const std::string& path) const;
    std::unique_ptr<background_process> process_;
    std::string scheme_, port_, ca_;
};

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
    static constexpr const char* token = "test-token-5f2b9c";
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
