// zoomsim's exit codes (sysexits style, as its --help lists them) and the error that setup
// code throws for main to turn into one. Not zprov's exit codes: zoomsim is its own program.
#pragma once

#include <stdexcept>
#include <string>

namespace zoomsim {

enum class exit_status : int {
    ok = 0,           // stopped by SIGINT or SIGTERM
    usage = 64,       // bad command line
    unavailable = 69, // cannot listen, or an internal error
    config = 78,      // unusable --existing, --tls-cert, --tls-key or --port-file
};

constexpr int to_int(exit_status s) {
    return static_cast<int>(s);
}

class startup_error : public std::runtime_error {
public:
    startup_error(exit_status status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    exit_status status() const noexcept { return status_; }

private:
    exit_status status_;
};

} // namespace zoomsim
