#include "zprov/sheet/csv_source.hpp"

#include "zprov/sheet/csv_input.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zprov {

namespace {
template <char separator>
using quote_policy = io::double_quote_escape<separator, '"'>;
using trim_policy = io::trim_chars<' ', '\t'>;

// What a spreadsheet would take for a formula at the start of a cell; `zprov report`
// writes such cells behind a "'" (see csv_cell in cli/report.cpp).
bool formula_start(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// Splits `line` (in place) into `cells`; whether any cell is not empty. Throws
// io::error::escaped_string_not_closed.
template <char separator>
bool split_with(char* line, std::vector<std::string_view>& cells) {
    bool any = false;
    while (line != nullptr) {
        char *begin, *end;
        io::detail::chop_next_column<quote_policy<separator>>(line, begin, end);
        trim_policy::trim(begin, end);
        quote_policy<separator>::unescape(begin, end);
        // A cell `zprov report` protected from spreadsheets reads back as it was.
        if (end - begin >= 2 && *begin == '\'' && formula_start(begin[1]))
            ++begin;
        any |= (begin != end);
        cells.emplace_back(begin, static_cast<std::size_t>(end - begin));
    }
    return any;
}

bool split(char separator, char* line, std::vector<std::string_view>& cells) {
    switch (separator) {
    case ';':
        return split_with<';'>(line, cells);
    case '\t':
        return split_with<'\t'>(line, cells);
    default:
        return split_with<','>(line, cells);
    }
}
} // namespace

csv_file_error::csv_file_error(const std::string& file, unsigned line, const std::string& problem)
    : fatal_error(exit_code::data,
                  file + ": " + (line > 0 ? "line " + std::to_string(line) + ": " : "") + problem) {
}

struct csv_source::impl {
    impl(const std::string& file_name, std::unique_ptr<detail::raw_input> raw, const csv_format& f)
        : name(file_name), format(f),
          reader(file_name, detail::decoded_input(std::move(raw), f, file_name, problems, chosen)) {
    }
    std::string name;
    csv_format format;
    // Before the reader, which makes its first read in its constructor.
    detail::input_problems problems;
    detail::encoding_choice chosen;
    io::LineReader reader;
    std::function<bool(std::string_view)> known_header;
    char separator = ',';
    std::string separator_notice;
    bool first_line = true;

    void choose_separator(const char* line);
};

void csv_source::impl::choose_separator(const char* line) {
    separator = info_of(format.delimiter).separator;
    if (format.delimiter != csv_delimiter::automatic)
        return;
    int best_known = -1;
    std::size_t best_cells = 0;
    std::vector<std::string_view> cells;
    for (const auto& d : delimiter_table()) {
        if (d.separator == '\0')
            continue;
        std::string copy(line);
        cells.clear();
        try {
            split(d.separator, copy.data(), cells);
        } catch (const io::error::escaped_string_not_closed&) {
            continue; // the quotes do not pair up with this separator
        }
        int known = 0;
        for (auto cell : cells)
            known += (known_header ? known_header(cell) : !cell.empty()) ? 1 : 0;
        if (known > best_known || (known == best_known && cells.size() > best_cells)) {
            best_known = known;
            best_cells = cells.size();
            separator = d.separator;
        }
    }
    if (separator != ',')
        separator_notice = "separated by " + separator_text(separator) +
                           ", which splits the header into the most known columns (--delimiter "
                           "says otherwise)";
}

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

csv_encoding csv_source::encoding() const {
    return impl_->chosen.encoding;
}

char csv_source::separator() const {
    return impl_->separator;
}

std::vector<std::string> csv_source::notices() const {
    std::vector<std::string> out;
    for (const auto* notice : {&impl_->chosen.notice, &impl_->separator_notice})
        if (!notice->empty())
            out.push_back(*notice);
    return out;
}

void csv_source::judge_header_by(std::function<bool(std::string_view)> known) {
    impl_->known_header = std::move(known);
}

csv_source csv_source::open(const std::string& path, const csv_format& format) {
    if (path == "-")
        return csv_source(std::make_unique<impl>(
            "standard input", detail::file_input(STDIN_FILENO, false, "standard input"), format));
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw csv_file_error(path, 0, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw csv_file_error(path, 0, "cannot read: it is a directory");
    }
    try {
        return csv_source(std::make_unique<impl>(path, detail::file_input(fd, true, path), format));
    } catch (const io::error::base& e) {
        throw csv_file_error(path, 0, e.what());
    }
}

csv_source csv_source::from_memory(const std::string& name, std::string data,
                                   const csv_format& format, bool rereadable) {
    return csv_source(
        std::make_unique<impl>(name, detail::memory_input(std::move(data), rereadable), format));
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
            if (auto problem = impl_->problems.up_to(~0U)) // at the very end
                throw csv_file_error(impl_->name, problem->first, problem->second);
            return false;
        }
        record.line = impl_->reader.get_file_line();
        if (auto problem = impl_->problems.up_to(record.line))
            throw csv_file_error(impl_->name, problem->first, problem->second);
        if (impl_->first_line) {
            impl_->first_line = false;
            if (std::strchr(line, '\r') != nullptr)
                throw csv_file_error(impl_->name, 1,
                                     "lines end in a bare carriage return (\"CSV (Macintosh)\"); "
                                     "save it as \"CSV UTF-8\" instead");
            impl_->choose_separator(line);
        }
        record.cells.clear();
        bool any = false;
        try {
            any = split(impl_->separator, line, record.cells);
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
