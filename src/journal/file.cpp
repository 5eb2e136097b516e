#include "zprov/journal/file.hpp"

#include "zprov/base/clock.hpp"
#include "zprov/base/exit_codes.hpp"
#include "zprov/journal/records.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace zprov {

void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = fd;
}

namespace {
[[noreturn]] void io_error(const std::string& path, const char* what, int error) {
    throw fatal_error(exit_code::cannot_write,
                      path + ": journal " + what + " failed: " + std::strerror(error));
}

[[noreturn]] void not_a_journal(const std::string& path, const std::string& why) {
    throw fatal_error(exit_code::config, path + ": " + why +
                                             "; refusing to use it as a journal (it is left "
                                             "untouched). Give a new file's path or a journal");
}

// Opens without following a symbolic link and without blocking on a FIFO; refuses anything
// but a regular file before a byte of it is read or changed.
unique_fd open_regular(const std::string& path, int flags) {
    unique_fd fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600));
    if (!fd) {
        int err = errno;
        if (err == ELOOP)
            throw fatal_error(exit_code::config,
                              path + ": the journal is a symbolic link; give its real path");
        throw fatal_error((flags & O_CREAT) ? exit_code::config : exit_code::usage,
                          path + ": cannot open the journal: " + std::strerror(err));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        io_error(path, "stat", errno);
    if (!S_ISREG(st.st_mode))
        not_a_journal(path, "is not a regular file (a device, a FIFO or a directory)");
    int fl = ::fcntl(fd.get(), F_GETFL);
    if (fl < 0 || ::fcntl(fd.get(), F_SETFL, fl & ~O_NONBLOCK) != 0)
        io_error(path, "fcntl", errno);
    return fd;
}

// The first line of the file (without its newline); std::nullopt when the file has no
// newline within the longest line a journal can hold. `text` gets what was read.
std::optional<std::string> first_line(int fd, const std::string& path, std::string& text) {
    std::vector<char> buf(1 << 16);
    while (text.size() <= journal_format::max_line_bytes) {
        auto n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(text.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            io_error(path, "read", errno);
        if (n == 0)
            return std::nullopt;
        auto old = text.size();
        text.append(buf.data(), static_cast<std::size_t>(n));
        if (text[0] != '{')
            return std::nullopt; // no journal line starts otherwise: no need to read on
        if (auto nl = text.find('\n', old); nl != std::string::npos)
            return text.substr(0, nl);
    }
    return std::nullopt;
}

// A line zprov wrote, however damaged: a JSON object with a checksum member.
bool looks_like_a_record(std::string_view line) {
    return line.starts_with("{\"") && line.find(R"("crc":")") != std::string_view::npos;
}

bool starts_a_header(std::string_view text) {
    const auto prefix = journal_format::header_prefix;
    return text.starts_with(prefix) || prefix.starts_with(text);
}

std::string account_name(const std::string& account) {
    return account.empty() ? "the app's own account (no --account-id)"
                           : "the sub-account " + account + " (--account-id " + account + ")";
}

// A journal's rows were sent to one account: resuming them in another would skip rows never
// created there and count its creates against the wrong cap.
[[noreturn]] void other_account(const std::string& path, const std::string& journal_account,
                                const std::string& run_account) {
    throw fatal_error(exit_code::config,
                      path + ": this journal was started for " + account_name(journal_account) +
                          ", and this run is for " + account_name(run_account) +
                          ". A journal keeps to one account: rerun with " +
                          (journal_account.empty() ? std::string("no --account-id")
                                                   : "--account-id " + journal_account) +
                          " to resume it, or give another --journal for this account. Nothing "
                          "was sent");
}
} // namespace

void damaged_journal_line(const std::string& path, std::uint64_t line_no, std::string_view line,
                          const std::string& why) {
    const bool crlf = line.ends_with('\r');
    throw fatal_error(exit_code::data,
                      path + ": line " + std::to_string(line_no) + ": damaged journal record (" +
                          (!why.empty() ? why
                           : crlf       ? "its line ends in CR LF: was the file converted or "
                                          "edited by a Windows tool?"
                                        : "checksum mismatch or malformed") +
                          "). Keep a copy; to go on, cut the file before this line: rows after "
                          "it are resent and Zoom's 409 settles those already created");
}

void journal_file::identify() {
    struct stat st {};
    if (::fstat(fd_.get(), &st) != 0)
        io_error(path_, "stat", errno);
    size_ = static_cast<std::uint64_t>(st.st_size);
    kind_ = journal_kind::empty;
    if (size_ == 0)
        return;
    std::string text;
    auto line = first_line(fd_.get(), path_, text);
    if (!line) {
        // One unterminated line: a journal whose header was torn while it was created, or
        // a file of something else.
        if (text.size() == size_ && starts_a_header(text))
            return;
        not_a_journal(path_, "exists and is not a zprov journal (no journal record on its "
                             "first line)");
    }
    auto first = decode(*line);
    if (!first && (starts_a_header(*line) || looks_like_a_record(*line)))
        damaged_journal_line(path_, 1, *line);
    if (!first || std::holds_alternative<other_record>(*first))
        not_a_journal(path_, "exists and is not a zprov journal (its first line is not a "
                             "journal record)");
    if (auto* header = std::get_if<header_record>(&*first)) {
        // Format 1 had no header: a header says 2 or more.
        if (header->version < 2)
            damaged_journal_line(path_, 1, *line,
                                 "a header of format " + std::to_string(header->version) +
                                     ", which no zprov writes");
        if (header->version > journal_format::version)
            throw fatal_error(exit_code::config,
                              path_ + ": journal format " + std::to_string(header->version) +
                                  " was written by a newer zprov; this one reads formats 1 to " +
                                  std::to_string(journal_format::version));
        kind_ = journal_kind::current;
        account_ = header->account;
        header_version_ = header->version;
        header_at_ = header->at;
        header_bytes_ = line->size() + 1;
    } else {
        kind_ = journal_kind::legacy;
    }
}

journal_file journal_file::open_existing(const std::string& path) {
    journal_file f(path, open_regular(path, O_RDONLY));
    f.identify();
    return f;
}

journal_file journal_file::open_for_append(const std::string& path, const warn_function& warn,
                                           const std::string& account) {
    journal_file f(path, open_regular(path, O_RDWR | O_CREAT | O_APPEND));
    if (::flock(f.fd_.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            throw fatal_error(exit_code::paused,
                              path + ": another zprov run holds this journal; wait for it to "
                                     "finish (or stop it), then rerun");
        io_error(path, "lock", errno);
    }
    f.identify();
    if (f.kind_ != journal_kind::empty && f.account_ != account)
        other_account(path, f.account_, account);
    struct stat st {};
    if (::fstat(f.fd_.get(), &st) == 0 && (st.st_mode & 0077) != 0) {
        if (::fchmod(f.fd_.get(), 0600) != 0)
            io_error(path, "chmod", errno);
        warn(path + ": journal was readable by others; its mode is now 0600");
    }
    if (f.kind_ == journal_kind::empty) {
        if (f.size_ != 0) {
            warn(path + ": the journal's first record was torn (a run stopped as it created "
                        "the journal); starting it again");
            f.cut(0);
        }
        f.append(encode(header_record{journal_format::version, iso8601(now_utc()), account}));
        f.kind_ = journal_kind::current;
        f.account_ = account;
    }
    return f;
}

journal_file::scan_result
journal_file::scan(const std::function<void(std::uint64_t, std::string_view)>& each) const {
    scan_result r;
    std::string pending;
    std::uint64_t offset = 0;
    std::vector<char> buf(1 << 20);
    for (;;) {
        auto n = ::pread(fd_.get(), buf.data(), buf.size(), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            io_error(path_, "read", errno);
        if (n == 0)
            break;
        offset += static_cast<std::uint64_t>(n);
        pending.append(buf.data(), static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (auto nl = pending.find('\n'); nl != std::string::npos;
             nl = pending.find('\n', start)) {
            each(++r.lines, std::string_view(pending.data() + start, nl - start));
            r.good_bytes += nl - start + 1;
            start = nl + 1;
        }
        pending.erase(0, start);
        if (pending.size() > journal_format::max_line_bytes)
            throw fatal_error(exit_code::data,
                              path_ + ": line " + std::to_string(r.lines + 1) +
                                  " is longer than any journal record (" +
                                  std::to_string(journal_format::max_line_bytes >> 20) +
                                  " MiB): this is not a zprov journal");
    }
    r.torn_tail = !pending.empty();
    return r;
}

void journal_file::cut(std::uint64_t size) {
    if (::ftruncate(fd_.get(), static_cast<off_t>(size)) != 0 || ::fdatasync(fd_.get()) != 0)
        io_error(path_, "truncate", errno);
    size_ = size;
}

void journal_file::fail(const char* what, int error) {
    failed_ = true;
    // Back to the last whole record: a half-written one would make the journal unreadable.
    if (::ftruncate(fd_.get(), static_cast<off_t>(size_)) == 0)
        ::fdatasync(fd_.get());
    throw fatal_error(exit_code::cannot_write,
                      path_ + ": cannot write the journal (" + what + ": " + std::strerror(error) +
                          "); stopped. It is cut back to its last whole record, so nothing "
                          "recorded is lost: make room and rerun to resume");
}

void journal_file::append(std::string_view line) {
    write(line);
    sync();
}

void journal_file::raise_format() {
    if (header_version_ == 0 || header_version_ >= journal_format::version)
        return;
    const auto line = encode(header_record{journal_format::version, header_at_, account_});
    if (line.size() != header_bytes_)
        return; // not in place: left as it is (no format zprov wrote differs so)
    // The descriptor appends (O_APPEND, where pwrite's offset is ignored): a second one writes
    // the first line over itself, one short write well within a disk sector.
    const auto self = "/proc/self/fd/" + std::to_string(fd_.get());
    unique_fd over(::open(self.c_str(), O_WRONLY | O_CLOEXEC));
    if (!over)
        io_error(path_, "reopen", errno);
    const auto n = ::pwrite(over.get(), line.data(), line.size(), 0);
    if (n < 0)
        io_error(path_, "write", errno);
    if (static_cast<std::size_t>(n) != line.size())
        io_error(path_, "write", EIO);
    if (::fdatasync(over.get()) != 0)
        io_error(path_, "fdatasync", errno);
    header_version_ = journal_format::version;
}

void journal_file::sync() {
    if (::fdatasync(fd_.get()) != 0)
        fail("fdatasync", errno);
}

void journal_file::write(std::string_view line) {
    if (failed_)
        throw fatal_error(exit_code::cannot_write,
                          path_ + ": the journal is no longer written after an earlier error");
    std::size_t done = 0;
    while (done < line.size()) {
        auto n = ::write(fd_.get(), line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail("write", n < 0 ? errno : ENOSPC);
        done += static_cast<std::size_t>(n);
    }
    size_ += line.size();
}

} // namespace zprov
