#include "zprov/sheet/validation.hpp"

#include "zprov/base/text.hpp"
#include "zprov/base/utf8.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <tuple>

namespace zprov {

namespace {
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
// RFC 5322 "atext", the characters of an unquoted local part besides '.'.
bool is_atext(char c) {
    if (is_alpha(c) || is_digit(c))
        return true;
    constexpr std::string_view specials = "!#$%&'*+/=?^_`{|}~-";
    return specials.find(c) != std::string_view::npos;
}

std::string describe(char c) {
    if (c == ' ')
        return "a space";
    if (c == '\t')
        return "a tab";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        return "a control character";
    return std::string("'") + c + "'";
}

std::optional<std::string> check_domain(std::string_view domain) {
    if (domain.empty())
        return "nothing after '@'";
    if (domain.size() > 253)
        return "domain longer than 253 characters";
    if (domain.find('.') == std::string_view::npos)
        return "domain '" + std::string(domain) + "' has no '.'";
    std::size_t start = 0;
    std::string_view last_label;
    while (start <= domain.size()) {
        auto dot = domain.find('.', start);
        auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos
                                                                        : dot - start);
        if (label.empty())
            return "domain has an empty label (leading, trailing or double '.')";
        if (label.size() > 63)
            return "domain label longer than 63 characters";
        if (label.front() == '-' || label.back() == '-')
            return "domain label starts or ends with '-'";
        for (char c : label)
            if (!is_alpha(c) && !is_digit(c) && c != '-')
                return "domain contains " + describe(c);
        last_label = label;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    if (std::all_of(last_label.begin(), last_label.end(), is_digit))
        return "domain ends in a numeric label";
    return std::nullopt;
}
} // namespace

std::optional<int> parse_user_type(std::string_view text) {
    text = trim(text);
    for (const auto& t : user_type_table())
        if (text == std::to_string(t.number) || iequals(text, t.name))
            return t.number;
    return std::nullopt;
}

std::string deprecated_type_reason(int type) {
    std::string name;
    for (const auto& t : user_type_table())
        if (t.number == type)
            name = " (" + std::string(t.name) + ")";
    return std::to_string(type) + name + " is deprecated in Zoom's API (struck out in its schema)";
}

std::optional<std::string> check_email(std::string_view email) {
    if (email.empty())
        return "missing";
    if (email.size() > user_info_limits::email_max)
        return "longer than " + std::to_string(user_info_limits::email_max) + " characters";
    for (std::size_t i = 0; i < email.size(); ++i) {
        auto c = static_cast<unsigned char>(email[i]);
        if (c >= 0x80) {
            if (c == 0xC2 && i + 1 < email.size() &&
                static_cast<unsigned char>(email[i + 1]) == 0xA0)
                return "contains a non-breaking space";
            return utf8_length(email) ? "contains non-ASCII characters" : "not valid UTF-8";
        }
    }
    auto at = email.find('@');
    if (at == std::string_view::npos)
        return "no '@'";
    if (email.find('@', at + 1) != std::string_view::npos)
        return "more than one '@'";
    auto local = email.substr(0, at);
    if (local.empty())
        return "nothing before '@'";
    if (local.size() > 64)
        return "part before '@' longer than 64 characters";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return "misplaced '.' before '@'";
    for (char c : local)
        if (c != '.' && !is_atext(c))
            return "contains " + describe(c);
    return check_domain(email.substr(at + 1));
}

std::optional<std::string> check_password(std::string_view password) {
    auto characters = utf8_length(password);
    if (!characters)
        return "not valid UTF-8";
    // Characters, not bytes: Zoom's schema limits the length as JSON counts it.
    const auto n = *characters;
    if (n < user_info_limits::password_min || n > user_info_limits::password_max)
        return "must be " + std::to_string(user_info_limits::password_min) + " to " +
               std::to_string(user_info_limits::password_max) + " characters";
    if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
        return "is one character repeated";
    // Consecutive characters, ascending or descending ("12345678", "hgfedcba").
    std::size_t up = 1, down = 1;
    for (std::size_t i = 1; i < password.size(); ++i) {
        int step = ascii_lower(password[i]) - ascii_lower(password[i - 1]);
        bool same_class = (is_digit(password[i]) && is_digit(password[i - 1])) ||
                          (is_alpha(password[i]) && is_alpha(password[i - 1]));
        up = (same_class && step == 1) ? up + 1 : 1;
        down = (same_class && step == -1) ? down + 1 : 1;
        if (up > user_info_limits::password_run_max || down > user_info_limits::password_run_max)
            return "contains a run of consecutive characters like '12345678'";
    }
    bool letter = false, digit = false, upper = false, lower_case = false;
    for (char c : password) {
        letter |= is_alpha(c);
        digit |= is_digit(c);
        upper |= (c >= 'A' && c <= 'Z');
        lower_case |= (c >= 'a' && c <= 'z');
    }
    if (!letter)
        return "needs at least one letter";
    if (!digit)
        return "needs at least one digit";
    if (!upper || !lower_case)
        return "needs both upper and lower case letters";
    return std::nullopt;
}

std::size_t chinese_characters(std::string_view text) {
    std::size_t count = 0;
    while (auto c = utf8_decode_first(text)) {
        count += is_chinese_character(c->value) ? 1 : 0;
        text.remove_prefix(c->bytes);
    }
    return count;
}

std::optional<std::string> check_text(std::string_view text, const text_rule& rule) {
    auto length = utf8_length(text);
    if (!length)
        return std::string("not valid UTF-8 (save the spreadsheet as \"CSV UTF-8\", or name its "
                           "encoding with --encoding)");
    if (*length > rule.max_chars)
        return "longer than " + std::to_string(rule.max_chars) + " characters";
    if (auto chinese = chinese_characters(text); chinese > rule.max_chinese)
        return std::to_string(chinese) + " Chinese characters; Zoom allows at most " +
               std::to_string(rule.max_chinese) + " in " + std::string(rule.field);
    return std::nullopt;
}

std::size_t profile_max_chars(field f) {
    switch (f) {
    case field::job_title:
        return profile_limits::job_title_max;
    case field::location:
        return profile_limits::location_max;
    case field::company:
        return profile_limits::company_max;
    case field::dept:
        return profile_limits::dept_max;
    case field::cost_center:
        return profile_limits::cost_center_max;
    case field::manager: // an email (128) or a display name (128)
        return user_info_limits::display_name_max;
    default:
        return profile_limits::unlimited;
    }
}

std::optional<std::string> check_profile_value(field f, std::string_view value) {
    auto length = utf8_length(value);
    if (!length)
        return std::string("not valid UTF-8 (save the spreadsheet as \"CSV UTF-8\", or name its "
                           "encoding with --encoding)");
    for (char c : value)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return "contains " + describe(c);
    if (f == field::manager && value.find('@') != std::string_view::npos) {
        if (auto why = check_email(value))
            return "not an email (" + *why + ") nor a name";
        return std::nullopt;
    }
    if (const auto max = profile_max_chars(f); *length > max)
        return "longer than " + std::to_string(max) + " characters";
    return std::nullopt;
}

namespace {
// The profile fields and the group of a row.
void check_profile(const user_cells& cells, user_record& user,
                   const std::function<void(field, std::string)>& fail) {
    for (std::size_t i = 0; i < profile_field_count; ++i) {
        const auto f = profile_field_at(i);
        auto& out = user.profile[i];
        out = std::string(trim_spaces(cells[static_cast<std::size_t>(f)].value_or("")));
        if (auto why = check_profile_value(f, out))
            fail(f, std::move(*why));
    }
    user.group =
        std::string(trim_spaces(cells[static_cast<std::size_t>(field::group)].value_or("")));
    user.group_id.clear();
    if (auto why = check_profile_value(field::group, user.group))
        fail(field::group, std::move(*why));
}
} // namespace

std::vector<field_error> check_user(const user_cells& cells, const validation_rules& rules,
                                    user_record& user) {
    std::vector<field_error> errors;
    auto cell = [&](field f) { return cells[static_cast<std::size_t>(f)].value_or(""); };
    auto fail = [&](field f, std::string reason) {
        errors.push_back({std::string(name_of(f)), std::move(reason)});
    };
    const auto& action = info_of(rules.action);

    user.email = std::string(trim(cell(field::email)));
    if (auto why = check_email(user.email))
        fail(field::email, std::move(*why));

    using limits = user_info_limits;
    for (auto [id, out, max, max_chinese] :
         {std::tuple{field::first_name, &user.first_name, limits::name_max,
                     limits::name_chinese_max},
          std::tuple{field::last_name, &user.last_name, limits::name_max, limits::name_chinese_max},
          std::tuple{field::display_name, &user.display_name, limits::display_name_max,
                     limits::display_name_chinese_max}}) {
        *out = std::string(cell(id));
        if (auto why = check_text(*out, {name_of(id), max, max_chinese}))
            fail(id, std::move(*why));
    }

    auto type_text = trim(cell(field::type));
    if (type_text.empty()) {
        user.type = rules.default_type;
    } else if (auto type = parse_user_type(type_text)) {
        user.type = *type;
        if (is_deprecated_user_type(user.type))
            fail(field::type,
                 deprecated_type_reason(user.type) + "; use " + user_type_names(false));
    } else {
        std::string reason = "'";
        reason.append(type_text)
            .append("' is not a user type; use ")
            .append(user_type_names(false));
        fail(field::type, std::move(reason));
    }

    user.password.clear();
    if (action.sends_password) {
        auto password = cell(field::password);
        if (!password.empty()) {
            if (auto why = check_password(password))
                fail(field::password, std::move(*why));
            else
                user.password = std::string(password);
        }
    }
    check_profile(cells, user, fail);
    return errors;
}

std::string email_key(std::string_view email) {
    return ascii_lower(email);
}

} // namespace zprov
