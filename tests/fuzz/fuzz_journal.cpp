// Fuzzes journal replay, status and report: any file content either replays, or stops
// with a fatal_error naming the damage; a torn tail is only ever the last line.
#include "zprov/journal.hpp"
#include "zprov/journal_report.hpp"

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {
// One in-memory file for every input: /proc/self/fd/N is a path the journal code can open.
int memory_file() {
    static int fd = memfd_create("journal", 0);
    return fd;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zprov;
    int fd = memory_file();
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
        return 0;
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    try {
        auto summary = read_journal(path);
        (void)count_outcomes(summary);
        std::ostringstream out;
        print_status(out, path, true);
        print_status(out, path, false);
        write_report(out, path, false);
        write_report(out, path, true);
    } catch (const fatal_error&) {
    }
    // Every record that encode_record writes must decode to itself.
    auto body = nlohmann::json::parse(data, data + size, nullptr, false);
    if (body.is_object() && !body.contains("crc")) {
        body["type"] = "intent";
        auto back = decode_record(encode_record(body));
        if (!back)
            std::abort();
    }
    return 0;
}
