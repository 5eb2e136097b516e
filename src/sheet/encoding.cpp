#include "zprov/sheet/encoding.hpp"

#include "zprov/base/name_table.hpp"
#include "zprov/base/utf8.hpp"

#include <array>
#include <cstring>

namespace zprov {

namespace {

constexpr std::array encodings{
    encoding_info{csv_encoding::automatic, "auto", "automatic"},
    encoding_info{csv_encoding::utf8, "utf-8", "UTF-8"},
    encoding_info{csv_encoding::utf16, "utf-16", "UTF-16"},
    encoding_info{csv_encoding::cp1252, "cp1252", "Windows-1252"},
    encoding_info{csv_encoding::latin1, "latin1", "ISO-8859-1"},
};
constexpr std::array<id_name<csv_encoding>, 5> encoding_spellings{{
    {csv_encoding::utf8, "utf8"},
    {csv_encoding::utf16, "utf16"},
    {csv_encoding::cp1252, "windows-1252"},
    {csv_encoding::latin1, "iso-8859-1"},
    {csv_encoding::latin1, "latin-1"},
}};

// The names of a table of spellings, for the option's list of accepted values.
template <class Id, std::size_t N>
constexpr std::array<std::string_view, N> names_of(const std::array<id_name<Id>, N>& table) {
    std::array<std::string_view, N> out{};
    for (std::size_t i = 0; i < N; ++i)
        out[i] = table[i].name;
    return out;
}
constexpr auto encoding_spelling_names = names_of(encoding_spellings);

// The id called `name` in `table`, or in its other accepted `spellings`.
template <class Table, class Spellings>
auto named(const Table& table, const Spellings& spellings, std::string_view name) {
    if (auto id = id_named(table, name))
        return id;
    return id_named(spellings, name);
}

constexpr std::array delimiters{
    delimiter_info{csv_delimiter::automatic, "auto", '\0'},
    delimiter_info{csv_delimiter::comma, ",", ','},
    delimiter_info{csv_delimiter::semicolon, ";", ';'},
    delimiter_info{csv_delimiter::tab, "tab", '\t'},
};
constexpr std::array<id_name<csv_delimiter>, 2> delimiter_spellings{{
    {csv_delimiter::comma, "comma"},
    {csv_delimiter::semicolon, "semicolon"},
}};
constexpr auto delimiter_spelling_names = names_of(delimiter_spellings);

// Windows-1252's 0x80 to 0x9F; 0 where it defines no character.
constexpr std::array<char16_t, 32> cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

bool cp1252_undefined(unsigned char b) {
    return b >= 0x80 && b <= 0x9F && cp1252_high[b - 0x80] == 0;
}

constexpr std::uint64_t bytes_of(unsigned char b) {
    return 0x0101010101010101ULL * b;
}

// How many bytes of the 8 in `w` equal zero.
int zero_bytes(std::uint64_t w) {
    const std::uint64_t low7 = bytes_of(0x7F);
    const std::uint64_t nonzero = ((w & low7) + low7) | w; // high bit set where a byte is not 0
    return __builtin_popcountll(~nonzero & bytes_of(0x80));
}

void append_utf8(char32_t c, std::string& out) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

} // namespace

std::span<const encoding_info> encoding_table() {
    return encodings;
}

std::span<const std::string_view> encoding_also_accepted() {
    return encoding_spelling_names;
}

std::optional<csv_encoding> parse_encoding(std::string_view name) {
    return named(encodings, encoding_spellings, name);
}

const encoding_info& info_of(csv_encoding e) {
    return row_with(encodings, e);
}

std::span<const delimiter_info> delimiter_table() {
    return delimiters;
}

std::span<const std::string_view> delimiter_also_accepted() {
    return delimiter_spelling_names;
}

std::optional<csv_delimiter> parse_delimiter(std::string_view name) {
    return named(delimiters, delimiter_spellings, name);
}

const delimiter_info& info_of(csv_delimiter d) {
    return row_with(delimiters, d);
}

std::string separator_text(char separator) {
    if (separator == '\t')
        return "a tab";
    return std::string("'") + separator + "'";
}

std::pair<byte_order_mark, std::size_t> byte_order_mark_of(std::string_view head) {
    if (head.starts_with(utf8_byte_order_mark))
        return {byte_order_mark::utf8, 3};
    if (head.starts_with("\xFF\xFE"))
        return {byte_order_mark::utf16le, 2};
    if (head.starts_with("\xFE\xFF"))
        return {byte_order_mark::utf16be, 2};
    return {byte_order_mark::none, 0};
}

std::size_t count_newlines(std::string_view bytes) {
    std::size_t count = 0, i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, bytes.data() + i, 8);
        count += static_cast<std::size_t>(zero_bytes(w ^ bytes_of('\n')));
    }
    for (; i < bytes.size(); ++i)
        count += bytes[i] == '\n' ? 1 : 0;
    return count;
}

std::string byte_text(unsigned char b) {
    static constexpr char hex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + hex[b >> 4] + hex[b & 0xF];
}

// --- utf8_checker -------------------------------------------------------------------------

bool utf8_checker::fail(std::uint64_t offset, unsigned char b) {
    bad_ = true;
    bad_offset_ = offset;
    bad_byte_ = b;
    return false;
}

bool utf8_checker::feed(std::string_view piece) {
    if (bad_)
        return false;
    const auto* p = reinterpret_cast<const unsigned char*>(piece.data());
    const std::size_t n = piece.size();
    std::size_t i = 0;
    // Finish the sequence the last piece began.
    if (!carry_.empty()) {
        const auto start = fed_ - carry_.size();
        const auto need =
            utf8_sequence_at(reinterpret_cast<const unsigned char*>(carry_.data()), 1);
        while (carry_.size() < need && i < n)
            carry_ += piece[i++];
        const auto* c = reinterpret_cast<const unsigned char*>(carry_.data());
        const auto got = utf8_sequence_at(c, carry_.size());
        if (got == 0)
            return fail(start, c[0]);
        if (carry_.size() < need) {
            fed_ += n;
            return true;
        }
        carry_.clear();
    }
    const std::uint64_t high = bytes_of(0x80);
    while (i < n) {
        // ASCII, 32 then 8 bytes at a time: most of a sheet.
        for (std::uint64_t w[4]; i + 32 <= n; i += 32) {
            std::memcpy(w, p + i, 32);
            if (((w[0] | w[1] | w[2] | w[3]) & high) != 0)
                break;
        }
        for (std::uint64_t w; i + 8 <= n; i += 8) {
            std::memcpy(&w, p + i, 8);
            if ((w & high) != 0)
                break;
        }
        while (i < n && p[i] < 0x80)
            ++i;
        if (i == n)
            break;
        const auto need = utf8_sequence_at(p + i, n - i);
        if (need == 0)
            return fail(fed_ + i, p[i]);
        if (need > n - i) { // the rest of the sequence comes with the next piece
            carry_.assign(piece.substr(i));
            break;
        }
        i += need;
    }
    fed_ += n;
    return true;
}

bool utf8_checker::finish() {
    if (!bad_ && !carry_.empty())
        return fail(fed_ - carry_.size(), static_cast<unsigned char>(carry_[0]));
    return ok();
}

std::optional<std::size_t> first_utf8_sequence(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (p[i] >= 0xC2) {
            const auto need = utf8_sequence_at(p + i, bytes.size() - i);
            if (need >= 2 && need <= bytes.size() - i)
                return i;
        }
    return std::nullopt;
}

std::optional<std::size_t> first_undefined_in_cp1252(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (cp1252_undefined(static_cast<unsigned char>(bytes[i])))
            return i;
    return std::nullopt;
}

// --- utf8_decoder -------------------------------------------------------------------------

void utf8_decoder::put(char32_t c, std::string& out) {
    newlines_ += c == U'\n' ? 1 : 0;
    append_utf8(c, out);
}

void utf8_decoder::bad(std::string what, std::string& out) {
    if (!problem_)
        problem_ = problem{newlines_ + 1, std::move(what)};
    append_utf8(U'\uFFFD', out);
}

void utf8_decoder::decode(std::string_view piece, std::string& out) {
    if (from_ == source::utf16le || from_ == source::utf16be)
        return decode_utf16(piece, out);
    out.reserve(out.size() + piece.size() + piece.size() / 8);
    const bool cp1252 = from_ == source::cp1252;
    for (char ch : piece) {
        const auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) {
            newlines_ += b == '\n' ? 1 : 0;
            out += ch;
        } else if (!cp1252 || b >= 0xA0) {
            append_utf8(b, out); // ISO-8859-1 is the first 256 code points
        } else if (auto c = cp1252_high[b - 0x80]; c != 0) {
            append_utf8(c, out);
        } else {
            bad(byte_text(b) + " is no character in Windows-1252", out);
        }
    }
}

void utf8_decoder::decode_utf16(std::string_view piece, std::string& out) {
    const bool little = from_ == source::utf16le;
    out.reserve(out.size() + piece.size());
    std::string joined;
    if (!carry_.empty()) {
        joined = carry_ + std::string(piece);
        piece = joined;
        carry_.clear();
    }
    auto unit = [&](std::size_t i) -> char16_t {
        const auto a = static_cast<unsigned char>(piece[i]);
        const auto b = static_cast<unsigned char>(piece[i + 1]);
        return static_cast<char16_t>(little ? (b << 8) | a : (a << 8) | b);
    };
    std::size_t i = 0;
    while (i + 2 <= piece.size()) {
        const char16_t u = unit(i);
        if (u < 0xD800 || u > 0xDFFF) {
            put(u, out);
            i += 2;
        } else if (u <= 0xDBFF) { // a high surrogate: its low one must follow
            if (i + 4 > piece.size())
                break;
            const char16_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                put(0x10000 + ((static_cast<char32_t>(u) - 0xD800) << 10) + (low - 0xDC00), out);
                i += 4;
            } else {
                bad("a broken UTF-16 character (a high surrogate alone)", out);
                i += 2;
            }
        } else {
            bad("a broken UTF-16 character (a low surrogate alone)", out);
            i += 2;
        }
    }
    carry_.assign(piece.substr(i));
}

void utf8_decoder::finish(std::string& out) {
    if (carry_.empty())
        return;
    carry_.clear();
    bad(from_ == source::utf16le || from_ == source::utf16be
            ? "the file ends in the middle of a UTF-16 character"
            : "the file ends in the middle of a character",
        out);
}

} // namespace zprov
