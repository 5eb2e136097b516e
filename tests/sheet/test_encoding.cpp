#include "zprov/sheet/encoding.hpp"

#include <doctest/doctest.h>

#include <iconv.h>

#include <string>
#include <vector>

using namespace zprov;

namespace {
// glibc's iconv: an oracle for the code pages that owes nothing to zprov's tables.
std::string iconv_to_utf8(const std::string& from, const std::string& text) {
    iconv_t cd = ::iconv_open("UTF-8", from.c_str());
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(text.size() * 4 + 4, '\0');
    char* in = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    char* o = out.data();
    std::size_t out_left = out.size();
    const auto r = ::iconv(cd, &in, &in_left, &o, &out_left);
    ::iconv_close(cd);
    REQUIRE(r != static_cast<std::size_t>(-1));
    out.resize(out.size() - out_left);
    return out;
}

std::string decode_all(utf8_decoder::source from, const std::string& text,
                       std::size_t piece = 1 << 20) {
    utf8_decoder d(from);
    std::string out;
    for (std::size_t at = 0; at < text.size(); at += piece)
        d.decode(std::string_view(text).substr(at, piece), out);
    d.finish(out);
    return out;
}

std::string utf16le(const std::u16string& s) {
    std::string out;
    for (char16_t c : s) {
        out += static_cast<char>(c & 0xFF);
        out += static_cast<char>(c >> 8);
    }
    return out;
}
std::string utf16be(const std::u16string& s) {
    std::string out;
    for (char16_t c : s) {
        out += static_cast<char>(c >> 8);
        out += static_cast<char>(c & 0xFF);
    }
    return out;
}

bool utf8_ok(const std::string& text, std::size_t piece) {
    utf8_checker c;
    for (std::size_t at = 0; at < text.size(); at += piece)
        c.feed(std::string_view(text).substr(at, piece));
    return c.finish();
}
} // namespace

TEST_CASE("encoding: Windows-1252 decodes every defined byte as glibc's iconv does") {
    std::string all;
    for (int b = 1; b < 256; ++b)
        if (b != 0x81 && b != 0x8D && b != 0x8F && b != 0x90 && b != 0x9D)
            all += static_cast<char>(b);
    CHECK(decode_all(utf8_decoder::source::cp1252, all) == iconv_to_utf8("CP1252", all));
    // Byte by byte too: a code page has no sequences to split.
    CHECK(decode_all(utf8_decoder::source::cp1252, all, 1) == iconv_to_utf8("CP1252", all));
    std::string latin;
    for (int b = 1; b < 256; ++b)
        latin += static_cast<char>(b);
    CHECK(decode_all(utf8_decoder::source::latin1, latin) == iconv_to_utf8("ISO-8859-1", latin));
}

TEST_CASE("encoding: Excel's Windows-1252 names and punctuation come out as UTF-8") {
    // "María González – Café €5" as Excel's "CSV (Comma delimited)" saves it.
    const std::string saved = "Mar\xED"
                              "a Gonz\xE1lez \x96 Caf\xE9 \x80"
                              "5";
    CHECK(decode_all(utf8_decoder::source::cp1252, saved) == "María González – Café €5");
    // ISO-8859-1 has no euro sign: 0x80 is a C1 control there.
    CHECK(decode_all(utf8_decoder::source::latin1, "\x80") == "\u0080");
}

TEST_CASE("encoding: a byte Windows-1252 leaves undefined is a problem with its line") {
    for (unsigned char b : {0x81, 0x8D, 0x8F, 0x90, 0x9D}) {
        utf8_decoder d(utf8_decoder::source::cp1252);
        std::string out;
        d.decode(std::string("Email\r\nann@x.com,A") + static_cast<char>(b) + "\r\n", out);
        REQUIRE(d.first_problem());
        CHECK(d.first_problem()->line == 2);
        CHECK(d.first_problem()->what == byte_text(b) + " is no character in Windows-1252");
        CHECK(out == "Email\r\nann@x.com,A\uFFFD\r\n");
    }
    CHECK(first_undefined_in_cp1252("ab\x9D") == 2U);
    CHECK_FALSE(first_undefined_in_cp1252("Mar\xED"
                                          "a"));
}

TEST_CASE("encoding: UTF-16 either way, pairs and units split between pieces") {
    const std::u16string text = u"Email\tName\r\nłukasz@x.pl\tŁukasz 😀\r\n";
    const std::string expected = "Email\tName\r\nłukasz@x.pl\tŁukasz 😀\r\n";
    for (std::size_t piece : {1U, 3U, 5U, 1000U}) {
        CAPTURE(piece);
        CHECK(decode_all(utf8_decoder::source::utf16le, utf16le(text), piece) == expected);
        CHECK(decode_all(utf8_decoder::source::utf16be, utf16be(text), piece) == expected);
    }
    CHECK(iconv_to_utf8("UTF-16LE", utf16le(text)) == expected); // the test's own encoder
}

TEST_CASE("encoding: broken UTF-16 becomes U+FFFD, and the first problem is kept") {
    utf8_decoder lone(utf8_decoder::source::utf16le);
    std::string out;
    lone.decode(utf16le(u"a\n") + std::string("\x00\xDC", 2) + utf16le(u"b"), out);
    lone.finish(out);
    CHECK(out == "a\n\uFFFDb");
    REQUIRE(lone.first_problem());
    CHECK(lone.first_problem()->line == 2);
    CHECK(lone.first_problem()->what.find("low surrogate") != std::string::npos);

    utf8_decoder odd(utf8_decoder::source::utf16le);
    out.clear();
    odd.decode(utf16le(u"ab") + "c", out);
    odd.finish(out);
    CHECK(out == "ab\uFFFD");
    REQUIRE(odd.first_problem());
    CHECK(odd.first_problem()->what.find("ends in the middle") != std::string::npos);
}

TEST_CASE("encoding: the UTF-8 check takes pieces split anywhere, and names the bad line") {
    const std::string good = "Email,Name\nann@x.com,Zoë 王 😀\nbob@x.com,Søren\n";
    for (std::size_t piece : {1U, 2U, 3U, 7U, 1000U}) {
        CAPTURE(piece);
        CHECK(utf8_ok(good, piece));
        CHECK_FALSE(utf8_ok(good + "\xC3", piece)); // cut short at the end
    }
    utf8_checker c;
    const std::string first = "Email\nline two is long enough to pass the 32-byte path, Zoë\n";
    CHECK(c.feed(first));
    CHECK_FALSE(c.feed("Mar\xED"
                       "a\n"));
    CHECK(c.bad_offset() == first.size() + 3);
    CHECK(c.bad_byte() == 0xED);
    CHECK_FALSE(c.feed("more")); // stays false
    utf8_checker split;
    CHECK(split.feed("ab\xE2"));
    CHECK(split.feed("\x82"));
    CHECK_FALSE(split.feed("x"));
    CHECK(split.bad_offset() == 2); // where the sequence began
    CHECK(split.bad_byte() == 0xE2);
    for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "\xFF"}) {
        CAPTURE(bad);
        CHECK_FALSE(utf8_ok(bad, 1));
        CHECK_FALSE(utf8_ok(bad, 100));
    }
}

TEST_CASE("encoding: byte-order marks and newlines") {
    CHECK(byte_order_mark_of("\xEF\xBB\xBF"
                             "a") == std::pair{byte_order_mark::utf8, std::size_t{3}});
    CHECK(byte_order_mark_of("\xFF\xFE"
                             "a") == std::pair{byte_order_mark::utf16le, std::size_t{2}});
    CHECK(byte_order_mark_of("\xFE\xFF"
                             "a") == std::pair{byte_order_mark::utf16be, std::size_t{2}});
    CHECK(byte_order_mark_of("Email").first == byte_order_mark::none);
    CHECK(byte_order_mark_of("\xEF\xBB").first == byte_order_mark::none);
    CHECK(count_newlines("") == 0);
    CHECK(count_newlines("a\nb\n\n0123456789\n\x01\n") == 5);
    std::string many(1000, '\n');
    many[500] = '\x0B';
    CHECK(count_newlines(many) == 999);
}

TEST_CASE("encoding: --encoding and --delimiter spellings") {
    CHECK(parse_encoding("auto") == csv_encoding::automatic);
    CHECK(parse_encoding("utf-8") == csv_encoding::utf8);
    CHECK(parse_encoding("utf8") == csv_encoding::utf8);
    CHECK(parse_encoding("utf-16") == csv_encoding::utf16);
    CHECK(parse_encoding("cp1252") == csv_encoding::cp1252);
    CHECK(parse_encoding("windows-1252") == csv_encoding::cp1252);
    CHECK(parse_encoding("latin1") == csv_encoding::latin1);
    CHECK(parse_encoding("iso-8859-1") == csv_encoding::latin1);
    CHECK_FALSE(parse_encoding("ebcdic"));
    CHECK(parse_delimiter(",") == csv_delimiter::comma);
    CHECK(parse_delimiter(";") == csv_delimiter::semicolon);
    CHECK(parse_delimiter("semicolon") == csv_delimiter::semicolon);
    CHECK(parse_delimiter("tab") == csv_delimiter::tab);
    CHECK(parse_delimiter("auto") == csv_delimiter::automatic);
    CHECK_FALSE(parse_delimiter("|"));
    CHECK(info_of(csv_delimiter::tab).separator == '\t');
    CHECK(separator_text('\t') == "a tab");
    CHECK(separator_text(';') == "';'");
}
