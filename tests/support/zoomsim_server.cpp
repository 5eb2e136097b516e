#include "support/zoomsim_server.hpp"

#include "support/contract_records.hpp"

#include <doctest/doctest.h>

namespace zprov::test {

test_ca make_test_ca(const std::string& dir) {
    auto r = run_process({source_dir() + "/scripts/make-test-ca", dir});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return {dir, dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
}

namespace {
std::string port_file_in(const temp_dir& dir) {
    static int serial = 0;
    return dir.path() + "/zoomsim-" + std::to_string(++serial) + ".port";
}

// --realtime: requests are timed when they arrive however busy the machine is.
std::vector<std::string> zoomsim_argv(const std::string& port_file,
                                      const std::vector<std::string>& args, const test_ca* tls) {
    std::vector<std::string> argv{
        zoomsim_program(), "--port",     "0",        "--port-file",
        port_file,         "--realtime", "--record", new_record_file("zoomsim")};
    if (tls)
        argv.insert(argv.end(), {"--tls-cert", tls->cert, "--tls-key", tls->key});
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

// curl's output written with -w "\n%{http_code}": the body and the status.
std::pair<std::string, int> body_and_status(const std::string& out) {
    const auto last = out.rfind('\n');
    return {out.substr(0, last), std::stoi(out.substr(last + 1))};
}
} // namespace

zoomsim_server::zoomsim_server(const temp_dir& dir, std::vector<std::string> args,
                               const test_ca* tls)
    : scheme_(tls ? "https" : "http"), ca_(tls ? tls->ca : ""), port_file_(port_file_in(dir)),
      server_(zoomsim_argv(port_file_, args, tls), port_file_, "zoomsim") {}

std::string zoomsim_server::url(const std::string& path) const {
    return url(path, scheme_);
}

std::string zoomsim_server::url(const std::string& path, const std::string& scheme) const {
    return scheme + "://127.0.0.1:" + server_.port() + path;
}

std::string zoomsim_server::base_url() const {
    return url("/v2");
}

std::string zoomsim_server::oauth_url() const {
    return url("/oauth/token");
}

std::vector<std::string> zoomsim_server::curl_args(const std::vector<std::string>& more) const {
    auto a = local_curl();
    if (!ca_.empty())
        a.insert(a.end(), {"--cacert", ca_});
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

nlohmann::json zoomsim_server::sim_get(const std::string& path) const {
    auto r = run_process(curl_args({url(path)}));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return nlohmann::json::parse(r.out);
}

nlohmann::json zoomsim_server::stats() const {
    return sim_get("/_sim/stats");
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
    auto r = run_process(
        curl_args({"-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
                   body.dump(), "-w", "\n%{http_code}", url("/_sim/" + what)}));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto [text, status] = body_and_status(r.out);
    REQUIRE_MESSAGE(status == 200, "/_sim/" << what << ": " << r.out);
    return nlohmann::json::parse(text);
}

nlohmann::json zoomsim_server::api(const std::string& method, const std::string& path,
                                   const nlohmann::json& body) const {
    std::vector<std::string> more{"-X", method, "-H",
                                  std::string("Authorization: Bearer ") + test_access_token};
    if (!body.is_null())
        more.insert(more.end(),
                    {"-H", "Content-Type: application/json", "--data-binary", body.dump()});
    more.insert(more.end(), {"-w", "\n%{http_code}", url("/v2" + path)});
    auto r = run_process(curl_args(more));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto [text, status] = body_and_status(r.out);
    return {
        {"status", status},
        {"body", text.empty() ? nlohmann::json() : nlohmann::json::parse(text, nullptr, false)}};
}

} // namespace zprov::test
