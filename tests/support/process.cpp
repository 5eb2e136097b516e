#include "support/process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace zprov::test {

const std::string& zprov_program() {
    static const std::string path = ZPROV_BIN;
    return path;
}

const std::string& zoomsim_program() {
    static const std::string path = ZOOMSIM_BIN;
    return path;
}

const std::string& source_dir() {
    static const std::string path = ZPROV_SOURCE_DIR;
    return path;
}

void check_label_allows(const std::vector<std::string>& argv) {
    const char* label = std::getenv("ZPROV_TEST_LABEL");
    if (label == nullptr)
        return;
    const std::string name = argv.empty() ? std::string() : argv.front();
    if (std::string_view(label) == "unit")
        throw std::logic_error("a test labelled unit starts no process (" + name +
                               "): label it cli or zoomsim (tests/CMakeLists.txt)");
    const bool zoomsim = std::find(argv.begin(), argv.end(), zoomsim_program()) != argv.end();
    if (std::string_view(label) == "cli" && zoomsim)
        throw std::logic_error("a test labelled cli starts no zoomsim: label it zoomsim "
                               "(tests/CMakeLists.txt)");
}

const std::string& contract_dir() {
    static const std::string path = ZPROV_CONTRACT_DIR;
    return path;
}

process_result run_process(const std::vector<std::string>& argv, const std::string& input,
                           std::chrono::seconds limit) {
    check_label_allows(argv);
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::signal(SIGPIPE, SIG_IGN);

    process_result result;
    std::size_t written = 0;
    int in_fd = in_pipe[1];
    if (input.empty()) {
        ::close(in_fd);
        in_fd = -1;
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    bool out_open = true, err_open = true;
    while (out_open || err_open) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fds[3] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                         {err_open ? err_pipe[0] : -1, POLLIN, 0},
                         {in_fd, POLLOUT, 0}};
        if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR)
            break;
        char buf[65536];
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
                auto n = ::read(fds[i].fd, buf, sizeof buf);
                if (n <= 0)
                    (i == 0 ? out_open : err_open) = false;
                else
                    (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
            }
        }
        if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            auto n = ::write(in_fd, input.data() + written, input.size() - written);
            if (n > 0)
                written += static_cast<std::size_t>(n);
            if (n <= 0 || written == input.size()) {
                ::close(in_fd);
                in_fd = -1;
            }
        }
    }
    if (in_fd >= 0)
        ::close(in_fd);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

temp_dir::temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zprov-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string temp_dir::file(const std::string& name, const std::string& contents) const {
    auto p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << contents;
    return p;
}

background_process::background_process(const std::vector<std::string>& argv) {
    check_label_allows(argv);
    const auto out_path = dir_.path() + "/stdout", err_path = dir_.path() + "/stderr";
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        int in = ::open("/dev/null", O_RDONLY);
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    pid_ = pid;
}

background_process::~background_process() {
    if (!exit_code_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

bool background_process::running() {
    if (exit_code_)
        return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return false;
    }
    return true;
}

void background_process::send_signal(int signal_number) {
    if (!exit_code_)
        ::kill(pid_, signal_number);
}

void background_process::terminate() {
    send_signal(SIGTERM);
}

void background_process::kill() {
    send_signal(SIGKILL);
}

std::optional<int> background_process::wait(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return exit_code_;
}

namespace {
std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}
} // namespace

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::string background_process::out() const {
    return read_all(dir_.path() + "/stdout");
}

std::string background_process::err() const {
    return read_all(dir_.path() + "/stderr");
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

namespace {
// libfaketime for threaded programs, where Debian installs it (/usr/lib/<triplet>/faketime).
std::string faketime_library() {
    static const std::string found = [] {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator("/usr/lib", ec)) {
            auto candidate = entry.path() / "faketime" / "libfaketimeMT.so.1";
            if (std::filesystem::exists(candidate, ec))
                return candidate.string();
        }
        return std::string("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    }();
    return found;
}
} // namespace

std::vector<std::string> under_faketime(const std::string& spec, std::vector<std::string> argv) {
    // The library preloaded by env(1), which then runs the program itself: not the faketime
    // wrapper, which forks it and keeps a named semaphore that a killed wrapper leaves
    // behind (a later wrapper with the same pid then fails with "sem_open: File exists").
    argv.insert(argv.begin(), {"/usr/bin/env", "LD_PRELOAD=" + faketime_library(),
                               "FAKETIME=" + spec, "FAKETIME_DONT_FAKE_MONOTONIC=1"});
    return argv;
}

} // namespace zprov::test
