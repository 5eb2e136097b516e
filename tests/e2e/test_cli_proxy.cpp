// Runs the built `zprov` through a CONNECT proxy (tests/servers/connect_proxy.py) to zoomsim
// over TLS and to the scripted server: HTTPS_PROXY, --proxy with credentials, a 407, an
// unreachable proxy, NO_PROXY, OAuth through the same proxy, and a proxy's password that no
// output, file or process argument list may show.
#include "support/local_server.hpp"
#include "support/process.hpp"
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace zprov::test;
using nlohmann::json;

namespace {

class connect_proxy {
public:
    connect_proxy(const temp_dir& dir, const std::string& credentials = "")
        : server_(dir, "connect_proxy.py",
                  credentials.empty() ? std::vector<std::string>{}
                                      : std::vector<std::string>{"--credentials", credentials}) {}
    std::string address() const { return "127.0.0.1:" + server_.port(); }
    // Every CONNECT it was asked for: {"target", "authorized", "status"}.
    std::vector<json> tunnels() const { return server_.logged(); }

private:
    python_server server_;
};

// zprov under a controlled proxy environment: `variables` ("NAME=value") replace any the
// test runner has.
process_result run_with(const std::vector<std::string>& variables, std::vector<std::string> argv) {
    std::vector<std::string> env{"/usr/bin/env"};
    for (const char* name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "no_proxy", "NO_PROXY"})
        env.insert(env.end(), {"-u", name});
    env.insert(env.end(), variables.begin(), variables.end());
    argv.insert(argv.begin(), env.begin(), env.end());
    return run_process(argv, "", std::chrono::seconds(120));
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

int tunnels_to(const connect_proxy& proxy, const std::string& target, int status) {
    int n = 0;
    for (const auto& t : proxy.tunnels())
        n += t["target"] == target && t["status"] == status;
    return n;
}

} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("proxy: an import through HTTPS_PROXY creates every row over a CONNECT tunnel") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    connect_proxy proxy(env.dir);
    auto csv = env.dir.file("users.csv", users_csv(20, "proxied"));
    auto r = run_with({"HTTPS_PROXY=http://" + proxy.address()}, env.argv(sim, csv));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(sim.stats()["created"] == 20);
    const auto target = sim.base_url().substr(8, sim.base_url().size() - 8 - 3);
    CHECK(tunnels_to(proxy, target, 200) >= 1);
    CHECK(proxy.tunnels().size() == static_cast<std::size_t>(tunnels_to(proxy, target, 200)));
}

TEST_CASE("proxy: --proxy with credentials wins over HTTPS_PROXY and never shows them") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    connect_proxy proxy(env.dir, "zprov:pr0xy:s3cret");
    auto csv = env.dir.file("users.csv", users_csv(10, "cred"));
    const auto summary = env.dir.path() + "/summary.json";
    auto r = run_with({"HTTPS_PROXY=http://127.0.0.1:9"},
                      env.argv(sim, csv,
                               {"--proxy", "http://zprov:pr0xy%3As3cret@" + proxy.address(),
                                "--summary-json", summary, "--trace"}));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(sim.stats()["created"] == 10);
    CHECK(proxy.tunnels().front()["authorized"] == true);
    for (const auto& text : {r.out, r.err, slurp(csv + ".journal"), slurp(summary)}) {
        CHECK_FALSE(has(text, "s3cret"));
        CHECK_FALSE(has(text, "cHIweHk6czNjcmV0")); // base64 of the secret part
    }
}

TEST_CASE("proxy: wrong proxy credentials are exit 77 and nothing reaches Zoom") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    connect_proxy proxy(env.dir, "zprov:right");
    auto csv = env.dir.file("users.csv", users_csv(5, "refused"));
    auto r = run_with({"HTTPS_PROXY=http://zprov:wrong@" + proxy.address()}, env.argv(sim, csv));
    CHECK_MESSAGE(r.exit_code == 77, r.err);
    CHECK(has(r.err, "the proxy http://" + proxy.address() + " refused the credentials"));
    CHECK_FALSE(has(r.err + r.out + slurp(csv + ".journal"), "wrong"));
    CHECK(sim.stats()["requests_total"] == 0);
    CHECK(proxy.tunnels().front()["status"] == 407);
}

TEST_CASE("proxy: an unreachable proxy is exit 69 and named") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token}, &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(1, "noproxy"));
    auto r =
        run_with({}, env.argv(sim, csv, {"--proxy", "127.0.0.1:9", "--max-attempts", "1", "-v"}));
    CHECK_MESSAGE(r.exit_code == 69, r.err);
    CHECK(has(r.err, "cannot connect to proxy http://127.0.0.1:9"));
    CHECK(sim.stats()["requests_total"] == 0);
}

TEST_CASE("proxy: NO_PROXY naming the host bypasses the proxy") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--plan", "business"}, &env.ca);
    connect_proxy proxy(env.dir);
    auto csv = env.dir.file("users.csv", users_csv(5, "bypass"));
    auto r = run_with({"https_proxy=http://" + proxy.address(), "NO_PROXY=example.com, 127.0.0.1"},
                      env.argv(sim, csv));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(sim.stats()["created"] == 5);
    CHECK(proxy.tunnels().empty());
}

TEST_CASE("proxy: OAuth token requests go through the same proxy" * doctest::test_suite("cli")) {
    temp_dir dir;
    scripted_server server(
        dir, {{"routes",
               {{{"method", "POST"},
                 {"path", "/oauth"},
                 {"answers", {{{"body", {{"access_token", "t"}, {"expires_in", 3600}}}}}}},
                {{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("u")}}}}}});
    connect_proxy proxy(dir);
    auto csv = dir.file("users.csv", users_csv(1, "oauth"));
    const auto port = server.base_url().substr(17, server.base_url().size() - 17 - 3);
    auto r = run_with({"-u", "ZOOM_ACCESS_TOKEN", "ZOOM_ACCOUNT_ID=acct", "ZOOM_CLIENT_ID=client",
                       "ZOOM_CLIENT_SECRET=secret"},
                      {zprov::test::zprov_program(), "run", csv, "--base-url", server.base_url(),
                       "--oauth-url", "http://localhost:" + port + "/oauth", "--proxy",
                       "http://" + proxy.address(), "--progress", "never"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(tunnels_to(proxy, "localhost:" + port, 200) == 1);
    CHECK(tunnels_to(proxy, "127.0.0.1:" + port, 200) >= 1);
}

TEST_CASE("proxy: a password in --proxy, with / and @ in it, is never printed, written or shown "
          "by ps") {
    run_env env;
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--plan", "business", "--latency-ms", "150"},
        &env.ca);
    const std::string password = "pa/ss@w0rd-Qz7";
    connect_proxy proxy(env.dir, "zprov:" + password);
    auto csv = env.dir.file("users.csv", users_csv(8, "secret"));
    const auto summary = env.dir.path() + "/summary.json";
    // The daily cap stops the run (exit 75) with the command to resume it.
    auto argv =
        env.argv(sim, csv,
                 {"--proxy", "http://zprov:" + password + "@" + proxy.address(), "--daily-cap", "4",
                  "--concurrency", "1", "--summary-json", summary, "--trace"});
    std::vector<std::string> env_argv{"/usr/bin/env"};
    for (const char* name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "no_proxy", "NO_PROXY"})
        env_argv.insert(env_argv.end(), {"-u", name});
    argv.insert(argv.begin(), env_argv.begin(), env_argv.end());
    background_process run(argv);
    // Once the journal exists zprov is past its start-up: what ps shows of it from then on.
    REQUIRE(wait_until([&] { return !slurp(csv + ".journal").empty(); }, std::chrono::seconds(20)));
    const auto cmdline = slurp("/proc/" + std::to_string(run.pid()) + "/cmdline");
    CHECK(has(cmdline, "--proxy"));
    auto ps = run_process({"/bin/ps", "-ww", "-o", "args=", "-p", std::to_string(run.pid())});
    CHECK(has(ps.out, "zprov"));
    const auto code = run.wait(std::chrono::seconds(60));
    CHECK_MESSAGE(code == 75, run.err());
    CHECK(sim.stats()["created"] == 4);
    CHECK(proxy.tunnels().front()["authorized"] == true);
    CHECK(has(run.err(), "Resume after"));
    CHECK(has(run.err(), "--proxy"));
    CHECK(has(run.err(), "password")); // the warning: the password belongs elsewhere
    CHECK(has(run.err(), "HTTPS_PROXY"));
    auto status = run_process({zprov::test::zprov_program(), "status", csv + ".journal"});
    auto report = run_process({zprov::test::zprov_program(), "report", csv + ".journal"});
    for (const auto& text : {cmdline, ps.out, run.out(), run.err(), slurp(csv + ".journal"),
                             slurp(summary), status.out, report.out}) {
        for (const auto& part : {password, std::string("w0rd-Qz7"), std::string("pa/ss")})
            CHECK_MESSAGE(!has(text, part), text.substr(0, 2000));
        CHECK_FALSE(has(text, "cGEvc3NAdzByZC1Rejc")); // base64 of the password
    }
}

TEST_CASE("proxy: a proxy URL that does not parse is a configuration error that never shows its "
          "user part") {
    run_env env;
    auto csv = env.dir.file("users.csv", users_csv(1, "badproxy"));
    const auto zprov = zprov::test::zprov_program();
    // The password's digits must not be taken for the port, nor the user name for the host.
    auto r = run_with({}, {zprov, "run", csv, "--proxy", "http://ann:12/34@proxy.invalid:x",
                           "--base-url", "https://127.0.0.1:9/v2", "--progress", "never"});
    CHECK_MESSAGE(r.exit_code == 78, r.err);
    CHECK(has(r.err, "--proxy"));
    CHECK_FALSE(has(r.err + r.out, "12/34"));
    CHECK_FALSE(has(r.err + r.out, "ann:"));
    // HTTPS_PROXY that is not a URL at all: named, exit 78, nothing sent.
    auto colons = run_with(
        {"HTTPS_PROXY=::::", "ZOOM_ACCESS_TOKEN=t"},
        {zprov, "run", csv, "--base-url", "https://127.0.0.1:9/v2", "--progress", "never"});
    CHECK_MESSAGE(colons.exit_code == 78, colons.err);
    CHECK(has(colons.err, "HTTPS_PROXY"));
}

TEST_CASE("proxy: a config file others can read that holds the proxy's password is warned of") {
    run_env env;
    auto csv = env.dir.file("users.csv", "Email,First Name,Last Name\nnot-an-address,A,B\n");
    auto config = env.dir.file("zprov.json", R"({"proxy": "http://ann:s3cret-pw@127.0.0.1:9"})");
    const auto zprov = zprov::test::zprov_program();
    for (const unsigned mode : {0644u, 0600u}) {
        ::chmod(config.c_str(), mode);
        auto r =
            run_with({"ZOOM_ACCESS_TOKEN=t"}, {zprov, "run", csv, "--config", config, "--base-url",
                                               "https://127.0.0.1:9/v2", "--progress", "never"});
        CHECK_MESSAGE(r.exit_code == 1, r.err); // the one row is invalid: nothing is sent
        CHECK(has(r.err, "chmod 600") == (mode == 0644u));
        CHECK_FALSE(has(r.err + r.out, "s3cret-pw"));
    }
}

TEST_SUITE_END();
