// Fuzzes CSV reading (every encoding and delimiter), header mapping and row validation: any
// bytes either yield rows whose valid ones satisfy Zoom's rules, or a csv_file_error;
// nothing else may happen.
#include "zprov/sheet/user_sheet.hpp"

#include "zprov/base/utf8.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zprov;
    if (size == 0)
        return 0;
    sheet_options options;
    // The first byte picks the action, so that password rules are reached too; with its
    // high bit set, the second picks the encoding, the delimiter, a pipe or a file, and
    // whether auto decides within 16 bytes (so that the pass over the rest is reached).
    options.rules.action = static_cast<create_action>(data[0] % 4);
    csv_format format;
    bool rereadable = true;
    std::size_t skip = 1;
    if ((data[0] & 0x80) != 0 && size >= 2) {
        format.encoding = static_cast<csv_encoding>(data[1] % 5);
        format.delimiter = static_cast<csv_delimiter>((data[1] / 5) % 4);
        rereadable = (data[1] & 0x20) == 0;
        format.decide_within = (data[1] & 0x40) != 0 ? 16 : 0;
        skip = 2;
    }
    std::string text(reinterpret_cast<const char*>(data) + skip, size - skip);
    try {
        user_sheet sheet(csv_source::from_memory("fuzz.csv", std::move(text), format, rereadable),
                         options);
        sheet_row row;
        for (int n = 0; n < 100000 && sheet.next(row); ++n) {
            if (!row.valid())
                continue;
            if (check_email(row.user.email) || !utf8_length(row.user.first_name) ||
                *utf8_length(row.user.first_name) > user_info_limits::name_max ||
                chinese_characters(row.user.first_name) > user_info_limits::name_chinese_max ||
                !is_user_type(row.user.type))
                std::abort(); // a row passed validation that Zoom would refuse
        }
    } catch (const csv_file_error&) {
    }
    return 0;
}
