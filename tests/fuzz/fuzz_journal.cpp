// Fuzzes journal replay, status and report: any file content either replays, or stops
// with a fatal_error naming the damage; a torn tail is only ever the last line.
#include "zprov/cli/report.hpp"
#include "zprov/journal/invitations.hpp"
#include "zprov/journal/records.hpp"
#include "zprov/journal/replay.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {
// One file for every input (a journal must be a regular file, opened without following links).
const std::string& journal_path() {
    static const std::string path = [] {
        std::string p = "/tmp/fuzz-journal-XXXXXX";
        int fd = mkstemp(p.data());
        if (fd >= 0)
            close(fd);
        return p;
    }();
    return path;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zprov;
    const auto& path = journal_path();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!out.flush())
            return 0;
    }
    try {
        auto summary = read_journal(path, {.details = true});
        (void)count_outcomes(summary);
        std::ostringstream out;
        print_status(out, path, true, zprov::default_stale_after_days);
        print_status(out, path, false, zprov::default_stale_after_days);
        write_report(out, path, false, false);
        write_report(out, path, true, true);
    } catch (const fatal_error&) {
    }
    // Every line that decodes encodes back to a line that decodes to the same record.
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto record = decode(text.substr(0, text.find('\n')))) {
        auto line = encode(*record);
        auto back = decode(line);
        if (!back || encode(*back) != line)
            std::abort();
    }
    return 0;
}
