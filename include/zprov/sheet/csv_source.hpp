// Streaming CSV reader over fast-cpp-csv-parser's line reader: one record at a time, with
// its line number, any number of columns, byte-order marks and CRLF handled, quoted
// separators and doubled quotes unescaped, and the "'" that `zprov report` puts before
// formula-looking cells ("'=...", "'-...") taken off again. Files in UTF-16, Windows-1252 or
// ISO-8859-1 are decoded to UTF-8 as they stream; the encoding and the delimiter are chosen
// from the file when not given (encoding.hpp, csv_input.hpp). Memory stays flat
// whatever the file size.
//
// Throws csv_file_error (exit 65) for file-level problems: unreadable or empty file, a
// quote left open at the end of a line (a line break inside a cell), an over-long line, a
// NUL byte, bytes that are no character in the file's encoding.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/sheet/encoding.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

class csv_file_error : public fatal_error {
public:
    // "FILE: line N: problem" (line 0: the problem concerns the whole file).
    csv_file_error(const std::string& file, unsigned line, const std::string& problem);
};

struct csv_record {
    unsigned line = 0;                   // 1-based physical line in the file
    std::vector<std::string_view> cells; // valid until the next call to next()
};

class csv_source {
public:
    // Opens `path`; "-" reads standard input. Reads the first block of the file (and, to
    // choose its encoding, may look through the rest of a regular file).
    static csv_source open(const std::string& path, const csv_format& format = {});
    // Reads `data` as the contents of a file called `name`, a regular file or (`rereadable`
    // false) a pipe (for tests).
    static csv_source from_memory(const std::string& name, std::string data,
                                  const csv_format& format = {}, bool rereadable = true);
    // Whether `path` can be read a second time from the start: a regular file, not "-", a
    // pipe or a process substitution.
    static bool rereadable(const std::string& path);

    csv_source(csv_source&&) noexcept;
    csv_source& operator=(csv_source&&) noexcept;
    ~csv_source();

    const std::string& name() const;
    // The encoding the file is read in (never automatic).
    csv_encoding encoding() const;
    // The separator of cells: chosen when the first record is read.
    char separator() const;
    // What was chosen from the file and why, when it is not UTF-8 and commas: for the
    // operator, once the first record has been read.
    std::vector<std::string> notices() const;

    // For --delimiter auto: whether a header cell names a column the reader of the sheet
    // knows. The first record is split with ',', ';' and a tab, and the separator that gives
    // the most known cells wins (then the one that gives the most cells, then that order).
    // Without a judge every non-empty cell counts. Called before the first next().
    void judge_header_by(std::function<bool(std::string_view)> known);
    // The next record with at least one non-empty cell; blank lines and lines of only
    // separators are skipped. Returns false at the end of the file.
    bool next(csv_record& record);

private:
    struct impl;
    explicit csv_source(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

} // namespace zprov
