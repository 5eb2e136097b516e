#include "support/local_server.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>

namespace zprov::test {

local_server::local_server(const std::vector<std::string>& argv, const std::string& port_file,
                           const std::string& name)
    : process_(argv) {
    wait_until([&] { return !slurp(port_file).empty() || !process_.running(); },
               std::chrono::seconds(10));
    std::istringstream(slurp(port_file)) >> port_;
    REQUIRE_MESSAGE(!port_.empty(), name << " did not start: " << process_.err());
}

local_server::~local_server() {
    stop();
}

void local_server::stop() {
    process_.terminate();
    process_.wait(std::chrono::seconds(5));
}

namespace {
std::string stem_for(const temp_dir& dir, const std::string& script) {
    static int serial = 0;
    return dir.path() + "/" + script.substr(0, script.rfind('.')) + "-" + std::to_string(++serial);
}

std::vector<std::string> python_argv(const std::string& script, std::vector<std::string> args,
                                     const std::string& stem) {
    args.insert(args.begin(), {"/usr/bin/python3", source_dir() + "/tests/servers/" + script});
    args.insert(args.end(), {"--port-file", stem + ".port", "--log", stem + ".log"});
    return args;
}
} // namespace

python_server::python_server(const temp_dir& dir, const std::string& script,
                             const std::vector<std::string>& args)
    : stem_(stem_for(dir, script)),
      server_(python_argv(script, args, stem_), stem_ + ".port", script) {}

std::vector<nlohmann::json> python_server::logged() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(slurp(stem_ + ".log"));
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            out.push_back(nlohmann::json::parse(line));
    return out;
}

std::vector<std::string> local_curl(const std::vector<std::string>& more) {
    std::vector<std::string> argv{"/usr/bin/curl", "-sS", "--max-time", "10", "--noproxy", "*"};
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
}

} // namespace zprov::test
