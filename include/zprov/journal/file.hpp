// The journal as a file: opening (only a regular file that is a journal, or a new one),
// the writer's lock, reading whole lines with a bound on their length, cutting a torn tail,
// and appending a line whole or not at all.
//
// Throws fatal_error: exit_code::config for a path that is not a journal (refused untouched),
// exit_code::paused when another run holds the lock, exit_code::config for a journal of
// another account, exit_code::data for a damaged journal (a damaged header, a header of a
// format no zprov writes, CR LF line ends) and for a line longer than
// journal_format::max_line_bytes, exit_code::cannot_write for I/O errors. After a failed
// append the file is cut back to its last whole record and every later append throws.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace zprov {

// An owned file descriptor, closed on destruction.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) : fd_(fd) {}
    ~unique_fd() { reset(); }
    unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other)
            reset(other.release());
        return *this;
    }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() noexcept {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

// What the start of a file says it is.
enum class journal_kind {
    empty,   // no bytes (or only a torn header): becomes a new journal
    legacy,  // format 1: a checksummed event record first, no header
    current, // a header record of a format this version reads
};

using warn_function = std::function<void(const std::string&)>;

// Line `line_no` of the journal at `path` (its text: `line`) is damaged: throws
// fatal_error(exit_code::data) naming the line, what is wrong (`why`, or a checksum mismatch;
// line ends of CR LF are named as such) and how to go on.
[[noreturn]] void damaged_journal_line(const std::string& path, std::uint64_t line_no,
                                       std::string_view line, const std::string& why = {});

class journal_file {
public:
    // An existing journal, read-only, unlocked (records are appended whole).
    static journal_file open_existing(const std::string& path);
    // Opens or creates `path` for appending: takes the lock, refuses what is not a journal,
    // sets mode 0600 (with a warning when it was looser) and writes the header of a new one,
    // naming `account` (a sub-account; empty: the app's own account). An existing journal
    // made for another account is refused (exit_code::config) before anything is written.
    static journal_file open_for_append(const std::string& path, const warn_function& warn,
                                        const std::string& account = {});

    const std::string& path() const { return path_; }
    journal_kind kind() const { return kind_; }
    // The sub-account the journal is for (its header's); empty: the app's own account.
    const std::string& account() const { return account_; }

    struct scan_result {
        std::uint64_t lines = 0;      // complete lines read
        std::uint64_t good_bytes = 0; // length of those lines
        bool torn_tail = false;       // bytes after the last newline
    };
    // Calls `each(line_number, line)` (1-based, newline excluded) for every complete line.
    scan_result scan(const std::function<void(std::uint64_t, std::string_view)>& each) const;

    // Cuts the file to `size` bytes (a torn tail) and flushes.
    void cut(std::uint64_t size);

    // Writes `line` (a whole record with its newline) at the end and flushes it to disk
    // (fdatasync). On any failed or short write, cuts the file back and throws.
    void append(std::string_view line);
    // The same without the flush: the line is written whole (or the file cut back and an
    // exception thrown) and sync() or another thread's fdatasync(fd()) makes it durable.
    void write(std::string_view line);
    void sync();
    // A flush on another thread failed with `error`: cut back and throw, as append does.
    [[noreturn]] void sync_failed(int error) { fail("fdatasync", error); }
    bool failed() const { return failed_; }
    int fd() const { return fd_.get(); }
    std::uint64_t size() const { return size_; } // bytes of whole records written
    // A header of an earlier format is rewritten in place with this one's (same length), so
    // that an earlier zprov refuses the records this one appends instead of skipping them.
    // For an appender, once the whole journal has been read and found sound.
    void raise_format();

private:
    journal_file(std::string path, unique_fd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    void identify();
    [[noreturn]] void fail(const char* what, int error);

    std::string path_;
    unique_fd fd_;
    journal_kind kind_ = journal_kind::empty;
    std::string account_;
    int header_version_ = 0;       // the header's format (0: no header)
    std::string header_at_;        // when the header says the journal was started
    std::size_t header_bytes_ = 0; // the header line's length, newline included
    std::uint64_t size_ = 0;       // bytes of whole records (for an appender)
    bool failed_ = false;
};

} // namespace zprov
