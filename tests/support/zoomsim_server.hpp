// The one zoomsim launcher of the tests: a real zoomsim process on a free port of 127.0.0.1
// (local_server.hpp), over TLS with a test CA when asked, recording its exchanges for the
// contract check, and queried through curl for its own record (/_sim/...). Stopped when it
// goes out of scope. The integration tests of zprov (sim_fixture.hpp) and of zoomsim itself
// (sim_curl.hpp) all start zoomsim here.
#pragma once

#include "support/local_server.hpp"
#include "support/process.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zprov::test {

struct test_ca {
    std::string dir, ca, cert, key;
};

// A CA and a server certificate for 127.0.0.1/localhost (scripts/make-test-ca) in `dir`.
test_ca make_test_ca(const std::string& dir);

// The access token the integration tests give zoomsim (--access-token) and zprov
// (ZOOM_ACCESS_TOKEN, run_env), and that zoomsim_server::api sends.
inline constexpr const char* test_access_token = "test-token-5f2b9c";

class zoomsim_server {
public:
    // `args` are extra zoomsim options; `tls` serves HTTPS with a certificate of `ca`. The
    // port file is written in `dir`.
    zoomsim_server(const temp_dir& dir, std::vector<std::string> args = {},
                   const test_ca* tls = nullptr);

    // SCHEME://127.0.0.1:PORT + `path`: https when started with `tls`, else http, unless
    // `scheme` says (zoomsim answers both on its one port).
    std::string url(const std::string& path) const;
    std::string url(const std::string& path, const std::string& scheme) const;
    std::string base_url() const; // url("/v2")
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
    // A Users API request as another administrator of the account would send it
    // (test_access_token): {"status": N, "body": the answer parsed, or null}.
    nlohmann::json api(const std::string& method, const std::string& path,
                       const nlohmann::json& body = nullptr) const;

    background_process& process() { return server_.process(); }
    const std::string& port_file() const { return port_file_; }

private:
    // curl trusting the test CA (when over TLS), then `more`.
    std::vector<std::string> curl_args(const std::vector<std::string>& more) const;
    nlohmann::json sim_get(const std::string& path) const;
    std::string scheme_, ca_, port_file_;
    local_server server_;
};

} // namespace zprov::test
