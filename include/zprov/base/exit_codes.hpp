// The process exit codes of zprov (sysexits style): the one table that main, --help and
// the README describe. Scripts and schedulers depend on these numbers.
#pragma once

#include <exception>
#include <span>
#include <string>
#include <string_view>

namespace zprov {

enum class exit_code : int {
    ok = 0,
    rows_failed = 1,
    usage = 64,
    data = 65,
    unavailable = 69,
    software = 70,
    cannot_write = 74,
    paused = 75,
    no_permission = 77,
    config = 78,
};

struct exit_code_info {
    exit_code code;
    std::string_view meaning;
};

// Every exit code with the sentence --help prints for it.
std::span<const exit_code_info> exit_code_table();

// "  0  done: ...\n" lines for --help.
std::string exit_code_help();

constexpr int to_int(exit_code c) {
    return static_cast<int>(c);
}

// Thrown by setup code; main prints what() and exits with code().
class fatal_error : public std::exception {
public:
    fatal_error(exit_code code, std::string message) : code_(code), message_(std::move(message)) {}
    exit_code code() const noexcept { return code_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    exit_code code_;
    std::string message_;
};

// How a command ends on an exception: a fatal_error with its own code and message; anything
// else is zprov's own fault, said as "internal error: ..." with exit 70 (not 69, which a
// scheduler would retry as an outage).
struct failure_ending {
    exit_code code;
    std::string message; // without the "zprov: " prefix
};
failure_ending ending_of(const std::exception& e);

} // namespace zprov
