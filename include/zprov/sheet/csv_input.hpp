// The bytes under csv_source, as fast-cpp-csv-parser's line reader takes them: a file read
// with read(2) (so that I/O errors are reported, not taken for the end), a string for tests,
// and the decoding source between them and the line reader, which chooses the encoding
// (--encoding auto) on the reader's first read and hands the reader UTF-8.
//
// The line reader wants every read filled unless at the end of the input, and reads ahead
// of the lines it hands out, on its own thread: problems found in the bytes are kept in an
// input_problems with their line, for csv_source to report when it gets there. A file
// that is neither UTF-8 nor Windows-1252 is refused at once (csv_file_error, exit 65).
// Internal to csv_source.
#pragma once

#include "zprov/sheet/encoding.hpp"

#include <libfccp/csv.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace zprov::detail {

// The earliest problem found in the input, by line.
class input_problems {
public:
    void report(unsigned line, const std::string& what);
    // The problem on `line` or before it, if any.
    std::optional<std::pair<unsigned, std::string>> up_to(unsigned line) const;

private:
    std::atomic<unsigned> line_{0};
    mutable std::mutex mutex_;
    std::string what_;
};

class raw_input : public io::ByteSourceBase {
public:
    // Whether the input can be read again from here: a regular file (standard input too,
    // when redirected from one), not a pipe.
    virtual bool rereadable() const = 0;
    // Hands `piece` the rest of a rereadable input in order, without moving the read
    // position, until it returns false or the input ends.
    virtual void scan_rest(const std::function<bool(std::string_view)>& piece) = 0;
};

std::unique_ptr<raw_input> file_input(int fd, bool owned, std::string name);
// `rereadable`: whether the string stands for a regular file or for a pipe.
std::unique_ptr<raw_input> memory_input(std::string data, bool rereadable);

// What the decoding source chose, once the line reader's first read has been made.
struct encoding_choice {
    csv_encoding encoding = csv_encoding::utf8; // never automatic
    std::string notice; // the choice and its reason, when it is not plain UTF-8
};

std::unique_ptr<io::ByteSourceBase> decoded_input(std::unique_ptr<raw_input> raw,
                                                  const csv_format& format, std::string name,
                                                  input_problems& problems,
                                                  encoding_choice& chosen);

} // namespace zprov::detail
