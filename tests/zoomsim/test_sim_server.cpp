// Integration tests of zoomsim as a server: injected faults, latency, keep-alive, TLS,
// signals and --help; the real process on 127.0.0.1 driven with curl (sim_curl.hpp).
#include "support/sim_curl.hpp"
#include "zprov/base/clock.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace {
using nlohmann::json;
using namespace zprov::test;
using namespace std::chrono_literals;
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("zoomsim: --fail-rate answers 500, 502 or 503 with no effect") {
    auto args = token_and_room;
    args.insert(args.end(), {"--fail-rate", "1", "--seed", "5"});
    temp_dir dir;
    zoomsim_server sim(dir, args);
    auto failed = post_json(sim, user_json("a@example.com")).only();
    CHECK(std::set<int>{500, 502, 503}.contains(failed.status));
    auto stats = sim.stats();
    CHECK(stats["failed_injected"] == 1);
    CHECK(stats["users_total"] == 0);
    CHECK(stats["creates_today"] == 0);
}

TEST_CASE("zoomsim: --drop-rate closes the connection unanswered with no effect") {
    auto args = token_and_room;
    args.insert(args.end(), {"--drop-rate", "1", "--seed", "5"});
    temp_dir dir;
    zoomsim_server sim(dir, args);
    auto dropped = post_json(sim, user_json("a@example.com"));
    CHECK(dropped.exit_code != 0);
    CHECK(dropped.responses.empty());
    auto stats = sim.stats();
    CHECK(stats["dropped"] == 1);
    CHECK(stats["users_total"] == 0);
    CHECK(stats["creations_by_email"].empty());
}

TEST_CASE("zoomsim: --commit-drop-rate creates the user, then closes unanswered") {
    auto args = token_and_room;
    args.insert(args.end(), {"--commit-drop-rate", "1", "--seed", "5"});
    temp_dir dir;
    zoomsim_server sim(dir, args);
    auto dropped = post_json(sim, user_json("a@example.com"));
    CHECK(dropped.exit_code != 0);
    CHECK(dropped.responses.empty());
    // The user exists though no answer came: a retry gets 409, GET finds it.
    CHECK(post_json(sim, user_json("a@example.com")).only().status == 409);
    CHECK(get_user(sim, "a@example.com").only().status == 200);
    auto stats = sim.stats();
    CHECK(stats["commit_dropped"] == 1);
    CHECK(stats["created"] == 0);
    CHECK(stats["creations_by_email"] == json{{"a@example.com", 1}});
}

TEST_CASE("zoomsim: the same --seed injects the same faults in the same order") {
    std::vector<std::string> urls;
    for (int i = 0; i < 16; ++i)
        urls.push_back("/v2/users/u" + std::to_string(i) + "@example.com");
    auto run = [&urls] {
        auto args = token_and_room;
        args.insert(args.end(), {"--fail-rate", "0.5", "--seed", "9"});
        temp_dir dir;
        zoomsim_server sim(dir, args);
        std::vector<std::string> full;
        for (const auto& url : urls)
            full.push_back(sim.url(url));
        return curl_statuses({"-H", "Authorization: Bearer T"}, full);
    };
    auto first = run();
    REQUIRE(first.size() == urls.size());
    CHECK(run() == first);
    CHECK(std::count(first.begin(), first.end(), 404) > 0);
    CHECK(std::count_if(first.begin(), first.end(), [](int s) { return s >= 500; }) > 0);
}

TEST_CASE("zoomsim: --latency-ms delays answers without holding up other connections") {
    auto args = token_and_room;
    args.insert(args.end(), {"--latency-ms", "400", "--seed", "1"});
    temp_dir dir;
    zoomsim_server sim(dir, args);
    std::vector<std::string> argv{curl_bin,
                                  "-s",
                                  "--noproxy",
                                  "*",
                                  "--max-time",
                                  "10",
                                  "-Z",
                                  "--parallel-immediate",
                                  "--parallel-max",
                                  "8",
                                  "-H",
                                  "Authorization: Bearer T",
                                  "-w",
                                  "%{http_code}\\n"};
    for (int i = 0; i < 5; ++i)
        argv.insert(argv.end(), {"-o", "/dev/null", sim.url("/v2/users/a@example.com")});
    const auto start = std::chrono::steady_clock::now();
    auto r = run_process(argv, "", std::chrono::seconds(30));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.exit_code == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 5);
    CHECK(elapsed >= 400ms);
    CHECK(elapsed < 1800ms); // one after the other would take 2 s
    CHECK(sim.stats()["max_concurrent_requests"].get<int>() >= 2);
}

TEST_CASE("zoomsim: keep-alive serves many requests on one connection") {
    temp_dir dir;
    zoomsim_server sim(dir, token_and_room);
    std::vector<std::string> argv{curl_bin,     "-s",
                                  "--noproxy",  "*",
                                  "--max-time", "10",
                                  "-H",         "Authorization: Bearer T",
                                  "-w",         "%{num_connects}\\n"};
    for (int i = 0; i < 3; ++i)
        argv.insert(argv.end(), {"-o", "/dev/null", sim.url("/v2/users/a@example.com")});
    auto r = run_process(argv, "", std::chrono::seconds(30));
    CHECK(r.out == "1\n0\n0\n");
    auto stats = sim.stats();
    CHECK(stats["status_counts"] == json{{"404", 3}});
    CHECK(stats["connections_total"] == 2); // curl's, and this stats read's
    CHECK(stats["connections_closed_idle"] == 0);
}

TEST_CASE("zoomsim: TLS with a test CA is verified by curl and plain HTTP shares the port") {
    temp_dir dir;
    auto path = [&dir](const std::string& name) { return dir.path() + "/" + name; };
    auto openssl = [](std::vector<std::string> args) {
        args.insert(args.begin(), "/usr/bin/openssl");
        auto r = run_process(args, "", std::chrono::seconds(60));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    };
    dir.file("ca.cnf", "[req]\ndistinguished_name = dn\nx509_extensions = v3_ca\nprompt = no\n"
                       "[dn]\nCN = zoomsim test CA\n"
                       "[v3_ca]\nbasicConstraints = critical,CA:TRUE\n"
                       "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n");
    dir.file("server.cnf", "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = localhost\n");
    dir.file("server.ext", "subjectAltName = DNS:localhost,IP:127.0.0.1\n"
                           "basicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\n"
                           "extendedKeyUsage = serverAuth\n");
    const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};
    auto ca =
        std::vector<std::string>{"req", "-x509",   "-config",      path("ca.cnf"), "-days",
                                 "2",   "-keyout", path("ca.key"), "-out",         path("ca.pem")};
    ca.insert(ca.end(), ec_key.begin(), ec_key.end());
    openssl(ca);
    auto csr = std::vector<std::string>{"req",     "-new",
                                        "-config", path("server.cnf"),
                                        "-keyout", path("server.key"),
                                        "-out",    path("server.csr")};
    csr.insert(csr.end(), ec_key.begin(), ec_key.end());
    openssl(csr);
    openssl({"x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey",
             path("ca.key"), "-set_serial", "1", "-days", "2", "-extfile", path("server.ext"),
             "-out", path("server.pem")});

    auto args = token_and_room;
    args.insert(args.end(), {"--tls-cert", path("server.pem"), "--tls-key", path("server.key")});
    zoomsim_server sim(dir, args);
    auto created = curl({"--cacert", path("ca.pem"), "-X", "POST", "-H", "Authorization: Bearer T",
                         "-H", "Content-Type: application/json", "--data-binary",
                         user_json("tls@example.com"), sim.url("/v2/users", "https")})
                       .only();
    CHECK(created.status == 201);
    // Without the test CA the certificate is not trusted: verification is real.
    auto untrusted = curl({sim.url("/_sim/stats", "https")});
    CHECK(untrusted.exit_code == 60);
    CHECK(untrusted.responses.empty());
    // Plain HTTP on the same port.
    CHECK(sim.stats()["created"] == 1);
}

TEST_CASE("zoomsim: SIGTERM and SIGINT stop it promptly with exit code 0") {
    for (int signal_number : {SIGTERM, SIGINT}) {
        CAPTURE(signal_number);
        temp_dir dir;
        zoomsim_server sim(dir, {"--access-token", "T", "--latency-ms", "20000"});
        // A request held for 20 s must not hold the exit up.
        background_process client({curl_bin, "-s", "--noproxy", "*", "--max-time", "30", "-H",
                                   "Authorization: Bearer T", sim.url("/v2/users/a@example.com")});
        for (int i = 0; i < 500 && sim.stats()["max_concurrent_requests"] == 0; ++i)
            std::this_thread::sleep_for(10ms);
        REQUIRE(sim.stats()["max_concurrent_requests"] == 1);
        sim.process().send_signal(signal_number);
        CHECK(sim.process().wait(5s) == 0);
        CHECK_FALSE(std::filesystem::exists(sim.port_file()));
        CHECK(client.wait(5s).has_value());
    }
}

TEST_CASE("zoomsim: --help documents every option, bad options exit 64, unusable files 78") {
    auto help = run_process({zoomsim_bin, "--help"});
    CHECK(help.exit_code == 0);
    for (const auto* option : {"--listen",
                               "--port",
                               "--port-file",
                               "--plan",
                               "--qps",
                               "--daily-cap",
                               "--access-token",
                               "--client-id",
                               "--client-secret",
                               "--account-id",
                               "--token-ttl",
                               "--tls-cert",
                               "--tls-key",
                               "--latency-ms",
                               "--jitter-ms",
                               "--fail-rate",
                               "--drop-rate",
                               "--commit-drop-rate",
                               "--existing",
                               "--seed",
                               "--spent-today",
                               "--no-quota-headers",
                               "--bare-daily-429",
                               "--idle-close",
                               "--scopes",
                               "--invitation-days",
                               "--active-group-id",
                               "--expired-create",
                               "--single-live-token",
                               "--record",
                               "/_sim/stats",
                               "/_sim/next-day",
                               "/_sim/advance",
                               "/_sim/activate",
                               "/_sim/activate-on",
                               "/_sim/delete-fault"}) {
        CAPTURE(option);
        CHECK(help.out.find(option) != std::string::npos);
    }
    CHECK(run_process({zoomsim_bin, "--plan", "gold"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--client-id", "cid"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--fail-rate", "2"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--listen", "not-an-address"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--active-group-id", "merge"}).exit_code == 64);
    CHECK(run_process({zoomsim_bin, "--expired-create", "maybe"}).exit_code == 64);
    temp_dir dir;
    auto bad = dir.file("existing.txt", "not an email\n");
    auto refused = run_process({zoomsim_bin, "--existing", bad});
    CHECK(refused.exit_code == 78);
    CHECK(refused.err.find("line 1") != std::string::npos);
    auto unwritable = run_process({zoomsim_bin, "--record", dir.path() + "/no/such/dir/r.jsonl"});
    CHECK(unwritable.exit_code == 78);
    CHECK(unwritable.err.find("--record") != std::string::npos);
}

TEST_SUITE_END();
