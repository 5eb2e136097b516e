#include "zoomsim/user_rules.hpp"

#include "zprov/base/ascii.hpp"
#include "zprov/zoom/user_info.hpp"

#include <algorithm>
#include <vector>

namespace zoomsim {

namespace {
using limits = zprov::user_info_limits;

// The code points of `text`; std::nullopt when it is not UTF-8. JSON bodies are checked by
// the JSON parser already; this is for text that arrives otherwise.
std::optional<std::vector<char32_t>> code_points(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        auto lead = static_cast<unsigned char>(text[i]);
        int length = lead < 0x80   ? 1
                     : lead < 0xC0 ? 0
                     : lead < 0xE0 ? 2
                     : lead < 0xF0 ? 3
                     : lead < 0xF8 ? 4
                                   : 0;
        if (length == 0 || i + static_cast<std::size_t>(length) > text.size())
            return std::nullopt;
        char32_t c = length == 1 ? lead : lead & (0x7F >> length);
        for (int k = 1; k < length; ++k) {
            auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            if ((next & 0xC0) != 0x80)
                return std::nullopt;
            c = (c << 6) | (next & 0x3F);
        }
        static constexpr char32_t shortest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (c < shortest[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return std::nullopt;
        out.push_back(c);
        i += static_cast<std::size_t>(length);
    }
    return out;
}

bool letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool digit(char c) {
    return c >= '0' && c <= '9';
}

// dot-atom text of RFC 5322: atoms of letters, digits and these, joined by single dots.
bool local_part_ok(std::string_view local) {
    constexpr std::string_view atom_specials = "!#$%&'*+-/=?^_`{|}~";
    if (local.empty() || local.size() > 64) // RFC 5321's limit on the local part
        return false;
    bool after_dot = true; // no leading dot
    for (char c : local) {
        if (c == '.') {
            if (after_dot)
                return false;
            after_dot = true;
        } else if (letter(c) || digit(c) || atom_specials.find(c) != std::string_view::npos) {
            after_dot = false;
        } else {
            return false;
        }
    }
    return !after_dot; // no trailing dot
}

// A host name of two labels or more: letters, digits and inner hyphens, 63 at most each; the
// top-level label is not numeric.
bool domain_ok(std::string_view domain) {
    int labels = 0;
    bool numeric_last = false;
    while (true) {
        auto dot = domain.find('.');
        auto label = domain.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (!std::all_of(label.begin(), label.end(),
                         [](char c) { return letter(c) || digit(c) || c == '-'; }))
            return false;
        ++labels;
        numeric_last = std::all_of(label.begin(), label.end(), digit);
        if (dot == std::string_view::npos)
            break;
        domain.remove_prefix(dot + 1);
    }
    return labels >= 2 && !numeric_last;
}

// `password` has `run` characters in a row, each the next (or each the previous) of the one
// before: "12345678", "abcdefgh", "HGFEDCBA". Letters compare without case.
bool has_consecutive_run(std::string_view password, std::size_t run) {
    for (int direction : {1, -1}) {
        std::size_t length = 1;
        for (std::size_t i = 1; i < password.size(); ++i) {
            char before = zprov::ascii_lower(password[i - 1]),
                 now = zprov::ascii_lower(password[i]);
            bool same_kind = (digit(before) && digit(now)) || (letter(before) && letter(now));
            length = same_kind && now - before == direction ? length + 1 : 1;
            if (length >= run)
                return true;
        }
    }
    return false;
}
} // namespace

std::optional<std::string> email_problem(std::string_view email) {
    if (email.empty())
        return "must not be empty";
    if (email.size() > limits::email_max)
        return "longer than " + std::to_string(limits::email_max) + " characters";
    auto at = email.find('@');
    if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
        return "is not an email address (one '@' expected)";
    if (!local_part_ok(email.substr(0, at)))
        return "is not an email address (the part before '@')";
    if (!domain_ok(email.substr(at + 1)))
        return "is not an email address (the domain)";
    return std::nullopt;
}

std::optional<std::string> name_problem(std::string_view name, std::size_t max_chars,
                                        std::size_t max_chinese) {
    auto points = code_points(name);
    if (!points)
        return "is not UTF-8";
    if (points->size() > max_chars)
        return "longer than " + std::to_string(max_chars) + " characters";
    auto chinese = std::count_if(points->begin(), points->end(), zprov::is_chinese_character);
    if (static_cast<std::size_t>(chinese) > max_chinese)
        return "cannot contain more than " + std::to_string(max_chinese) + " Chinese characters";
    return std::nullopt;
}

// 99 (None) is struck out as deprecated in Zoom's schema, but its enum still lists it (with
// ssoCreate only): zoomsim takes it as the schema says; refusing it is zprov's own choice.
std::optional<std::string> type_problem(std::int64_t type, zprov::create_action action) {
    if (type < 1 || type > 99 || !zprov::is_user_type(static_cast<int>(type)))
        return "must be one of " + zprov::user_type_names();
    if (type == 99 && !zprov::info_of(action).allows_type_none)
        return "99 (None) can only be set with ssoCreate";
    return std::nullopt;
}

std::optional<std::string> password_problem(std::string_view password) {
    auto points = code_points(password);
    if (!points)
        return "is not UTF-8";
    if (points->size() < limits::password_min || points->size() > limits::password_max)
        return "must have " + std::to_string(limits::password_min) + " to " +
               std::to_string(limits::password_max) + " characters";
    if (std::all_of(points->begin(), points->end(),
                    [&](char32_t c) { return c == points->front(); }))
        return "cannot be one identical character repeated";
    if (has_consecutive_run(password, limits::password_run_max + 1))
        return "cannot contain consecutive characters like '12345678' or 'abcdefgh'";
    auto any = [&](auto test) { return std::any_of(password.begin(), password.end(), test); };
    if (!any(letter))
        return "must have at least one letter";
    if (!any(digit))
        return "must have at least one number";
    if (!any([](char c) { return c >= 'A' && c <= 'Z'; }) ||
        !any([](char c) { return c >= 'a' && c <= 'z'; }))
        return "must include both upper and lower case letters";
    return std::nullopt;
}

} // namespace zoomsim
