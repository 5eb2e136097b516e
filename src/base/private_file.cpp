#include "zprov/base/private_file.hpp"

#include "zprov/base/exit_codes.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace zprov {

namespace {
[[noreturn]] void cannot_write(const std::string& path, const std::string& why) {
    throw fatal_error(exit_code::config, path + ": cannot write the output: " + why);
}

void refuse_forbidden(const std::string& path, const struct stat& target,
                      const std::vector<std::string>& forbidden_paths) {
    for (const auto& other : forbidden_paths) {
        struct stat st {};
        if (!other.empty() && ::stat(other.c_str(), &st) == 0 && st.st_dev == target.st_dev &&
            st.st_ino == target.st_ino)
            throw fatal_error(exit_code::config,
                              path + ": is the same file as " + other +
                                  ", which this command reads; give the output another path");
    }
}

// Writes straight into a target that is not a regular file (a device, a FIFO).
void write_directly(const std::string& path, const std::function<void(std::ostream&)>& write) {
    std::ofstream out(path, std::ios::binary);
    if (!out)
        cannot_write(path, std::strerror(errno));
    write(out);
    if (!out.flush())
        cannot_write(path, "write failed");
}

std::string directory_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}
} // namespace

void write_private_file(const std::string& path, const std::function<void(std::ostream&)>& write,
                        const std::vector<std::string>& forbidden_paths) {
    struct stat target {};
    if (::stat(path.c_str(), &target) == 0) {
        refuse_forbidden(path, target, forbidden_paths);
        if (!S_ISREG(target.st_mode))
            return write_directly(path, write);
    }
    std::string temp = path + ".XXXXXX";
    int fd = ::mkstemp(temp.data()); // mode 0600
    if (fd < 0)
        cannot_write(path, std::string("in ") + directory_of(path) + ": " + std::strerror(errno));
    ::close(fd);
    try {
        {
            std::ofstream out(temp, std::ios::binary | std::ios::trunc);
            write(out);
            if (!out.flush())
                cannot_write(path, "write failed");
        }
        int sync_fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
        bool synced = sync_fd >= 0 && ::fsync(sync_fd) == 0;
        if (sync_fd >= 0)
            ::close(sync_fd);
        if (!synced)
            cannot_write(path, std::strerror(errno));
        if (::rename(temp.c_str(), path.c_str()) != 0)
            cannot_write(path, std::strerror(errno));
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
}

void write_private_file(const std::string& path, std::string_view text,
                        const std::vector<std::string>& forbidden_paths) {
    write_private_file(
        path,
        [&](std::ostream& out) {
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
        },
        forbidden_paths);
}

} // namespace zprov
