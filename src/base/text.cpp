#include "zprov/base/text.hpp"

#include "zprov/base/utf8.hpp"

#include <algorithm>
#include <optional>

namespace zprov {

namespace {
// Unicode's White_Space characters (but the line breaks and C0 controls, which cells refuse)
// and the zero-width space and no-break space that text copied from elsewhere carries.
bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200b) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000 || c == 0xfeff;
}

// What shows nothing, or nothing a reader tells from a space: the spaces above, the soft
// hyphen, joiners, directional marks and invisible operators, Hangul fillers, tag characters.
bool is_invisible(char32_t c) {
    return (c != ' ' && c != '\t' && is_space(c)) || c == 0xad || c == 0x34f || c == 0x61c ||
           c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5 || c == 0x180e ||
           (c >= 0x200c && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2060 && c <= 0x206f) || c == 0x3164 || c == 0xffa0 ||
           (c >= 0xe0000 && c <= 0xe007f);
}

// The code point `s` ends with, if it ends with a well-formed one.
std::optional<decoded_code_point> last_code_point(std::string_view s) {
    for (std::size_t n = 1; n <= 4 && n <= s.size(); ++n) {
        const auto c = static_cast<unsigned char>(s[s.size() - n]);
        if ((c & 0xc0) == 0x80)
            continue; // a continuation byte: the sequence starts further back
        auto decoded = utf8_decode_first(s.substr(s.size() - n));
        return decoded && decoded->bytes == n ? decoded : std::nullopt;
    }
    return std::nullopt;
}
} // namespace

std::string_view trim_spaces(std::string_view s) {
    for (auto c = utf8_decode_first(s); c && is_space(c->value); c = utf8_decode_first(s))
        s.remove_prefix(c->bytes);
    for (auto c = last_code_point(s); c && is_space(c->value); c = last_code_point(s))
        s.remove_suffix(c->bytes);
    return s;
}

std::string visible_text(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const auto first = s.find_first_not_of(' ');
    const auto last = s.find_last_not_of(' ');
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = utf8_decode_first(s.substr(i));
        if (!c) { // not UTF-8: shown as it is (terminal_safe has the last word)
            out += s[i++];
            continue;
        }
        const bool edge_space =
            c->value == ' ' && (i < first || first == std::string_view::npos || i > last);
        if (edge_space || is_invisible(c->value)) {
            std::string digits;
            for (auto v = c->value; v != 0 || digits.size() < 4; v >>= 4)
                digits.insert(digits.begin(), hex[v & 0xf]);
            out += "<U+" + digits + ">";
        } else {
            out.append(s.substr(i, c->bytes));
        }
        i += c->bytes;
    }
    return out;
}

std::string terminal_safe(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        } else if (c == 0xc2 && next >= 0x80 && next <= 0x9f) { // U+0080..U+009F
            out += "\\u00";
            out += hex[next >> 4];
            out += hex[next & 0xf];
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string shell_quote(const std::string& s) {
    if (s.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./-_") ==
        std::string::npos)
        return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string with_commas(std::int64_t n) {
    const auto digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace zprov
