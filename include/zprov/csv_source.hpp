// Streaming CSV reader over fast-cpp-csv-parser's line reader: one record at a time, with
// its line number, any number of columns, UTF-8 BOM and CRLF handled, quoted commas and
// doubled quotes unescaped, and the "'" that `zprov report` puts before formula-looking
// cells ("'=...", "'-...") taken off again. Memory stays flat whatever the file size.
//
// Throws csv_file_error (exit 65) for file-level problems: unreadable or empty file, a
// quote left open at the end of a line (a line break inside a cell), an over-long line,
// a UTF-16 file.
#pragma once

#include "zprov/exit_codes.hpp"

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
    // Opens `path`; "-" reads standard input.
    static csv_source open(const std::string& path);
    // Reads `data` as the contents of a file called `name` (for tests).
    static csv_source from_memory(const std::string& name, std::string data);
    // Whether `path` can be read a second time from the start: a regular file, not "-", a
    // pipe or a process substitution.
    static bool rereadable(const std::string& path);

    csv_source(csv_source&&) noexcept;
    csv_source& operator=(csv_source&&) noexcept;
    ~csv_source();

    const std::string& name() const;
    // The next record with at least one non-empty cell; blank lines and lines of only
    // separators are skipped. Returns false at the end of the file.
    bool next(csv_record& record);

private:
    struct impl;
    explicit csv_source(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

} // namespace zprov
