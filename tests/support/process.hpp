// Runs a program and collects its exit code and output, for tests that drive the built
// binaries as a user would. Every run has a time limit.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zprov::test {

// The built zprov and zoomsim, the source tree and the contract records' directory. Only
// process.cpp is compiled with their paths, so that every other test file compiles the same in any
// checkout (and ccache shares it between checkouts).
const std::string& zprov_program();
const std::string& zoomsim_program();
const std::string& source_dir();
// Where the tests' servers record their exchanges for the contract check
// (contract_records.hpp).
const std::string& contract_dir();

// What ctest runs a test under (ZPROV_TEST_LABEL, tests/CMakeLists.txt): a test labelled
// unit starts no process, one labelled cli no zoomsim. Throws std::logic_error when `argv`
// is not allowed under it; run_process and background_process call it first.
void check_label_allows(const std::vector<std::string>& argv);

struct process_result {
    int exit_code = -1; // -1: killed by a signal or the time limit
    std::string out;
    std::string err;
};

process_result run_process(const std::vector<std::string>& argv, const std::string& input = "",
                           std::chrono::seconds limit = std::chrono::seconds(60));

// Polls `done` every 10 ms until it holds or `limit` passes; says whether it held. For tests
// that wait on an event (a file written, a server's count) rather than for a fixed time.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit);

// The whole contents of a file ("" if it cannot be read).
std::string slurp(const std::string& path);

// How many times `what` occurs in `text` (overlapping occurrences too).
std::size_t occurrences(const std::string& text, const std::string& what);

// `argv` run with libfaketime preloaded and the wall clock set by `spec` ("+1d",
// "@2026-11-28 23:59:54"); the monotonic clock stays real. The program runs as the process
// started (env(1) execs it), so killing that process kills the program.
std::vector<std::string> under_faketime(const std::string& spec, std::vector<std::string> argv);

// A fresh directory under the system temp dir, removed with its contents on destruction.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name, const std::string& contents) const;

private:
    std::string path_;
};

// A program running beside the test (a server, say). Its standard output and error go to
// files that can be read at any time; standard input is /dev/null. The destructor kills
// (SIGKILL) and reaps it if it is still running.
class background_process {
public:
    explicit background_process(const std::vector<std::string>& argv);
    ~background_process();
    background_process(const background_process&) = delete;
    background_process& operator=(const background_process&) = delete;

    int pid() const { return pid_; }
    bool running();
    void send_signal(int signal_number);
    void terminate(); // SIGTERM
    void kill();      // SIGKILL

    // Waits at most `limit` for it to exit. Its exit code (-1: killed by a signal), or
    // std::nullopt when it is still running.
    std::optional<int> wait(std::chrono::milliseconds limit);

    // What it has written so far.
    std::string out() const;
    std::string err() const;

private:
    temp_dir dir_;
    int pid_ = -1;
    std::optional<int> exit_code_;
};

} // namespace zprov::test
