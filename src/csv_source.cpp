#include "zprov/csv_source.hpp"

#include <libfccp/csv.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zprov {

namespace {
using quote_policy = io::double_quote_escape<',', '"'>;
using trim_policy = io::trim_chars<' ', '\t'>;

// Reads with read(2) so that I/O errors are reported rather than taken for the end of
// the file, as fread would.
class fd_byte_source : public io::ByteSourceBase {
public:
    fd_byte_source(int fd, bool owned, std::string name)
        : fd_(fd), owned_(owned), name_(std::move(name)) {}
    ~fd_byte_source() override {
        if (owned_)
            ::close(fd_);
    }
    int read(char* buffer, int size) override {
        int total = 0;
        while (total < size) {
            auto n = ::read(fd_, buffer + total, static_cast<std::size_t>(size - total));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                throw csv_file_error(name_, 0, std::string("read failed: ") + std::strerror(errno));
            }
            if (n == 0)
                break;
            total += static_cast<int>(n);
        }
        return total;
    }

private:
    int fd_;
    bool owned_;
    std::string name_;
};

// Passes bytes through and notes the line of the first NUL byte: the line reader would
// end the line there and silently drop the rest. Reads run ahead of the lines handed
// out (on the reader's own thread), so the line is kept, not thrown, and next() reports it
// when it gets there.
class nul_watch : public io::ByteSourceBase {
public:
    nul_watch(std::unique_ptr<io::ByteSourceBase> inner, std::atomic<unsigned>& nul_line)
        : inner_(std::move(inner)), nul_line_(nul_line) {}
    int read(char* buffer, int size) override {
        const int n = inner_->read(buffer, size);
        if (nul_line_.load() != 0)
            return n;
        for (int i = 0; i < n; ++i) {
            if (buffer[i] == '\n') {
                ++newlines_;
            } else if (buffer[i] == '\0') {
                nul_line_.store(newlines_ + 1);
                break;
            }
        }
        return n;
    }

private:
    std::unique_ptr<io::ByteSourceBase> inner_;
    std::atomic<unsigned>& nul_line_;
    unsigned newlines_ = 0;
};

class string_byte_source : public io::ByteSourceBase {
public:
    explicit string_byte_source(std::string data) : data_(std::move(data)) {}
    int read(char* buffer, int size) override {
        auto n = std::min<std::size_t>(static_cast<std::size_t>(size), data_.size() - pos_);
        std::memcpy(buffer, data_.data() + pos_, n);
        pos_ += n;
        return static_cast<int>(n);
    }

private:
    std::string data_;
    std::size_t pos_ = 0;
};
} // namespace

csv_file_error::csv_file_error(const std::string& file, unsigned line, const std::string& problem)
    : fatal_error(exit_code::data,
                  file + ": " + (line > 0 ? "line " + std::to_string(line) + ": " : "") + problem) {
}

struct csv_source::impl {
    impl(const std::string& file_name, std::unique_ptr<io::ByteSourceBase> source)
        : name(file_name),
          reader(file_name, std::make_unique<nul_watch>(std::move(source), nul_line)) {}
    std::string name;
    std::atomic<unsigned> nul_line{0}; // before the reader: it reads in its constructor
    io::LineReader reader;
    bool first_line = true;
};

namespace {
// What a spreadsheet would take for a formula at the start of a cell; `zprov report`
// writes such cells behind a "'" (see csv_cell in journal_report.cpp).
bool formula_start(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}
} // namespace

bool csv_source::rereadable(const std::string& path) {
    struct stat st {};
    return path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

csv_source::csv_source(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
csv_source::csv_source(csv_source&&) noexcept = default;
csv_source& csv_source::operator=(csv_source&&) noexcept = default;
csv_source::~csv_source() = default;

const std::string& csv_source::name() const {
    return impl_->name;
}

csv_source csv_source::open(const std::string& path) {
    if (path == "-")
        return csv_source(std::make_unique<impl>(
            "standard input",
            std::make_unique<fd_byte_source>(STDIN_FILENO, false, "standard input")));
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw csv_file_error(path, 0, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw csv_file_error(path, 0, "cannot read: it is a directory");
    }
    try {
        return csv_source(
            std::make_unique<impl>(path, std::make_unique<fd_byte_source>(fd, true, path)));
    } catch (const io::error::base& e) {
        throw csv_file_error(path, 0, e.what());
    }
}

csv_source csv_source::from_memory(const std::string& name, std::string data) {
    return csv_source(
        std::make_unique<impl>(name, std::make_unique<string_byte_source>(std::move(data))));
}

bool csv_source::next(csv_record& record) {
    for (;;) {
        char* line = nullptr;
        try {
            line = impl_->reader.next_line();
        } catch (const io::error::line_length_limit_exceeded&) {
            throw csv_file_error(impl_->name, impl_->reader.get_file_line(),
                                 "line longer than 16 MiB (is this a CSV file?)");
        }
        if (line == nullptr) {
            if (impl_->first_line)
                throw csv_file_error(impl_->name, 0, "the file is empty");
            return false;
        }
        record.line = impl_->reader.get_file_line();
        if (impl_->first_line) {
            impl_->first_line = false;
            auto b0 = static_cast<unsigned char>(line[0]);
            auto b1 = b0 ? static_cast<unsigned char>(line[1]) : 0;
            if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF))
                throw csv_file_error(impl_->name, 1,
                                     "the file is UTF-16; save it as \"CSV UTF-8\" instead");
            if (std::strchr(line, '\r') != nullptr)
                throw csv_file_error(impl_->name, 1,
                                     "lines end in a bare carriage return (\"CSV (Macintosh)\"); "
                                     "save it as \"CSV UTF-8\" instead");
        }
        if (auto nul = impl_->nul_line.load(); nul != 0 && record.line >= nul)
            throw csv_file_error(impl_->name, nul,
                                 "holds a NUL byte: this is not a text CSV file (save it as "
                                 "\"CSV UTF-8\")");
        record.cells.clear();
        bool any = false;
        try {
            while (line != nullptr) {
                char *begin, *end;
                io::detail::chop_next_column<quote_policy>(line, begin, end);
                trim_policy::trim(begin, end);
                quote_policy::unescape(begin, end);
                // A cell `zprov report` protected from spreadsheets reads back as it was.
                if (end - begin >= 2 && *begin == '\'' && formula_start(begin[1]))
                    ++begin;
                any |= (begin != end);
                record.cells.emplace_back(begin, static_cast<std::size_t>(end - begin));
            }
        } catch (const io::error::escaped_string_not_closed&) {
            throw csv_file_error(
                impl_->name, record.line,
                "a quoted cell is not closed on this line: line breaks inside a cell are not "
                "supported (remove them in the spreadsheet), or a '\"' is stray");
        }
        if (any)
            return true;
    }
}

} // namespace zprov
