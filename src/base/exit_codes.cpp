#include "zprov/base/exit_codes.hpp"

#include <array>
#include <string>

namespace zprov {

namespace {
constexpr std::array exit_codes{
    exit_code_info{exit_code::ok, "done: every row created or already existed"},
    exit_code_info{
        exit_code::rows_failed,
        "done, but some rows failed for good (invalid, or rejected by Zoom): see report"},
    exit_code_info{exit_code::usage, "usage error (unknown option, missing argument)"},
    exit_code_info{exit_code::data,
                   "the CSV is unusable (unreadable, empty, no email column, broken quoting, "
                   "an unknown encoding)"},
    exit_code_info{exit_code::unavailable,
                   "Zoom unreachable or failing (network, TLS, 5xx) after retries: rerun later"},
    exit_code_info{exit_code::software, "zprov's own fault (an internal error, or Zoom says the "
                                        "request body is malformed): report it"},
    exit_code_info{exit_code::cannot_write,
                   "the journal or the summary cannot be written (disk full, I/O error): "
                   "stopped, nothing lost"},
    exit_code_info{exit_code::paused, "paused: daily cap reached, another run holds the journal, "
                                      "or interrupted: rerun to resume"},
    exit_code_info{exit_code::no_permission,
                   "authentication or permission refused (bad credentials, missing scope, "
                   "no privilege, no seats, SSO not enabled)"},
    exit_code_info{exit_code::config, "configuration error (config file, option values)"},
};
} // namespace

std::span<const exit_code_info> exit_code_table() {
    return exit_codes;
}

failure_ending ending_of(const std::exception& e) {
    if (const auto* fatal = dynamic_cast<const fatal_error*>(&e))
        return {fatal->code(), fatal->what()};
    return {exit_code::software, std::string("internal error: ") + e.what()};
}

std::string exit_code_help() {
    std::string out = "Exit codes:\n";
    for (const auto& e : exit_codes) {
        auto n = std::to_string(to_int(e.code));
        out += std::string(4 - n.size(), ' ') + n + "  " + std::string(e.meaning) + "\n";
    }
    return out;
}

} // namespace zprov
