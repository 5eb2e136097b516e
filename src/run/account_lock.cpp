#include "zprov/run/account_lock.hpp"

#include "zprov/base/crc32c.hpp"
#include "zprov/base/exit_codes.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zprov {

namespace {
// The account's name as a file name: its safe characters, and a checksum of the whole key
// (two keys that differ only in other characters get two files).
std::string file_name(const std::string& key) {
    std::string safe;
    for (const char c : key)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.')
            safe += c;
        else
            safe += '_';
    if (safe.size() > 64)
        safe.resize(64);
    char sum[16];
    std::snprintf(sum, sizeof sum, "%08x", crc32c(key));
    return "account-" + safe + "-" + sum + ".lock";
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// $XDG_RUNTIME_DIR/zprov (made 0700 when missing), if the runtime directory is usable.
std::string runtime_directory() {
    const char* base = std::getenv("XDG_RUNTIME_DIR");
    if (!base || *base != '/')
        return {};
    const std::string dir = std::string(base) + "/zprov";
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return {};
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid())
        return {};
    return dir;
}
} // namespace

account_lock::account_lock(const std::string& account, const std::string& api_host,
                           const std::string& journal) {
    name_ = account.empty() ? "the account of " + api_host +
                                  " (its id is not known with "
                                  "ZOOM_ACCESS_TOKEN)"
                            : "account " + account;
    const auto key = api_host + "/" + account;
    auto dir = runtime_directory();
    path_ = (dir.empty() ? directory_of(journal) + "/." : dir + "/") + file_name(key);
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0)
        throw fatal_error(exit_code::cannot_write,
                          path_ + ": cannot open the account's lock file: " + std::strerror(errno));
}

account_lock::~account_lock() {
    if (fd_ >= 0)
        ::close(fd_);
}

bool account_lock::try_take() {
    if (held_)
        return true;
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK || errno == EINTR)
            return false;
        throw fatal_error(exit_code::cannot_write,
                          path_ + ": cannot lock the account's lock file: " + std::strerror(errno));
    }
    held_ = true;
    const auto pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0)
        (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
    return true;
}

std::string account_lock::holder() const {
    char text[32] = {};
    const auto n = ::pread(fd_, text, sizeof text - 1, 0);
    if (n <= 0)
        return {};
    std::string pid(text, static_cast<std::size_t>(n));
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == '\r'))
        pid.pop_back();
    for (const char c : pid)
        if (c < '0' || c > '9')
            return {};
    return pid;
}

} // namespace zprov
