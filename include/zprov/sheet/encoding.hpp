// How a spreadsheet's bytes are to be read: the encodings and delimiters spreadsheets and HR
// systems save with (--encoding, --delimiter: one table each), and the byte-level work of
// reading them. Byte-order marks; UTF-8 checked a piece at a time; UTF-16 and the
// Windows-1252 and ISO-8859-1 code pages decoded to UTF-8 a piece at a time, so that a file
// is converted as it streams. Throws nothing but std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zprov {

// --encoding. utf16 reads either byte order (its byte-order mark says which; little-endian,
// as Windows writes, without one).
enum class csv_encoding { automatic, utf8, utf16, cp1252, latin1 };

struct encoding_info {
    csv_encoding id;
    std::string_view name;  // as --encoding takes it
    std::string_view title; // in messages: "Windows-1252"
};
std::span<const encoding_info> encoding_table();
// The other spellings --encoding takes ("utf8", "windows-1252", "iso-8859-1", ...).
std::span<const std::string_view> encoding_also_accepted();
std::optional<csv_encoding> parse_encoding(std::string_view name);
const encoding_info& info_of(csv_encoding e);

// --delimiter.
enum class csv_delimiter { automatic, comma, semicolon, tab };

struct delimiter_info {
    csv_delimiter id;
    std::string_view name; // as --delimiter takes it: "auto", ",", ";", "tab"
    char separator;        // '\0' for automatic
};
std::span<const delimiter_info> delimiter_table();
// The other spellings --delimiter takes ("comma", "semicolon").
std::span<const std::string_view> delimiter_also_accepted();
std::optional<csv_delimiter> parse_delimiter(std::string_view name);
const delimiter_info& info_of(csv_delimiter d);
// "';'", "a tab": the separator as messages name it.
std::string separator_text(char separator);

// How a file is to be read (the settings' values; automatic unless given).
struct csv_format {
    csv_encoding encoding = csv_encoding::automatic;
    csv_delimiter delimiter = csv_delimiter::automatic;
    // Bytes --encoding auto looks at before it turns to the rest of the input: 0 means the
    // line reader's first block (32 MiB). Tests make it small to reach the other paths.
    std::size_t decide_within = 0;
};

enum class byte_order_mark { none, utf8, utf16le, utf16be };
inline constexpr std::string_view utf8_byte_order_mark = "\xEF\xBB\xBF";
// The mark `head` starts with, and its length in bytes (0 for none).
std::pair<byte_order_mark, std::size_t> byte_order_mark_of(std::string_view head);

// How many '\n' bytes `bytes` holds (eight at a time).
std::size_t count_newlines(std::string_view bytes);

// "byte 0xE9": a byte as messages show it.
std::string byte_text(unsigned char b);

// Whether input given a piece at a time is well-formed UTF-8 (overlong forms, surrogates
// and values past U+10FFFF are not); a sequence may be split between pieces. Fast where the
// text is ASCII, as most of a sheet is.
class utf8_checker {
public:
    // False from the first ill-formed byte on; the pieces after that are not looked at.
    bool feed(std::string_view piece);
    // At the end of the input: a sequence left unfinished is ill-formed.
    bool finish();
    bool ok() const { return !bad_; }
    // The first ill-formed byte: its offset from the start of the first piece, and value.
    std::uint64_t bad_offset() const { return bad_offset_; }
    unsigned char bad_byte() const { return bad_byte_; }

private:
    bool fail(std::uint64_t offset, unsigned char b);
    std::string carry_;     // the start of a sequence that the next piece finishes
    std::uint64_t fed_ = 0; // bytes of the pieces before the current one
    bool bad_ = false;
    std::uint64_t bad_offset_ = 0;
    unsigned char bad_byte_ = 0;
};

// The offset of the first well-formed UTF-8 sequence of two or more bytes in `bytes`, if any:
// in a file that is not UTF-8, the sign that it is partly UTF-8 all the same.
std::optional<std::size_t> first_utf8_sequence(std::string_view bytes);

// The first byte of `bytes` that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90,
// 0x9D), if any: its offset.
std::optional<std::size_t> first_undefined_in_cp1252(std::string_view bytes);

// Decodes UTF-16 (either byte order), Windows-1252 or ISO-8859-1 to UTF-8, a piece at a
// time: a UTF-16 unit or surrogate pair split between pieces is finished by the next one.
// What is no character (a byte Windows-1252 leaves undefined, a lone surrogate, an odd byte
// at the end of UTF-16) becomes U+FFFD and the first such problem is kept with its line.
class utf8_decoder {
public:
    enum class source { utf16le, utf16be, cp1252, latin1 };
    explicit utf8_decoder(source from) : from_(from) {}

    // Appends the UTF-8 of `piece` to `out`.
    void decode(std::string_view piece, std::string& out);
    // At the end of the input: what is left unfinished is a problem.
    void finish(std::string& out);

    struct problem {
        unsigned line = 0; // 1-based
        std::string what;
    };
    const std::optional<problem>& first_problem() const { return problem_; }

private:
    void put(char32_t c, std::string& out);
    void bad(std::string what, std::string& out);
    void decode_utf16(std::string_view piece, std::string& out);
    source from_;
    std::string carry_; // UTF-16 bytes waiting for the rest of their unit or pair
    unsigned newlines_ = 0;
    std::optional<problem> problem_;
};

} // namespace zprov
