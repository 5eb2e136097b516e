// Output files that hold personal data (`report -o`, `--summary-json`): written to a
// temporary file beside the target (mode 0600) and renamed over it, so a reader never sees
// half a file and an existing file is replaced whole. Never the journal or the input: an
// output that is the same file (device and inode) as one of `forbidden_paths` is refused.
// A target that exists and is not a regular file (/dev/null, a FIFO, a terminal) is written
// directly. Throws fatal_error(exit_code::config) for a refused or unwritable output.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

void write_private_file(const std::string& path, const std::function<void(std::ostream&)>& write,
                        const std::vector<std::string>& forbidden_paths);

void write_private_file(const std::string& path, std::string_view text,
                        const std::vector<std::string>& forbidden_paths);

} // namespace zprov
