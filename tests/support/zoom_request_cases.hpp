// One table of POST /users cases: user_info fields, the action, and what Zoom does with
// them. test_zoom_request_cases.cpp runs every case against zprov's row checks and against
// zoomsim's request parser, which are written independently, so that any disagreement
// between them (or with Zoom's documented rules) fails a test. Add a case here whenever a
// rule is learnt about Zoom.
#pragma once

#include "zprov/zoom/plans.hpp"
#include "zprov/zoom/user_info.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace zprov::test {

enum class zoom_says {
    accepted,
    refused,
    // Zoom (and zoomsim) take it, zprov refuses it on purpose: `why` says why.
    accepted_but_zprov_refuses,
};

struct request_case {
    std::string_view what;
    zoom_says expected = zoom_says::accepted;
    std::string_view field = {}; // the refused field, as in user_info ("first_name")
    create_action action = create_action::create;
    std::string email = "ann.lee@example.com";
    std::string first_name = {};
    std::string last_name = {};
    std::string display_name = {};
    int type = 1;
    std::string password = {};
    std::string_view why = {}; // for accepted_but_zprov_refuses
};

inline std::string repeat(std::string_view text, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += text;
    return out;
}

inline std::vector<request_case> zoom_request_cases() {
    using enum zoom_says;
    const std::string wang = "\u738B";      // 王, CJK Unified Ideographs
    const std::string ext_b = "\U00020000"; // 𠀀, Extension B
    const std::string compat = "\uF900";    // 豈, a compatibility ideograph
    const std::string hangul = "\uD55C";    // 한
    const std::string kana = "\u3055";      // さ
    const std::string e_acute = "\u00E9";   // é
    const auto max_name = user_info_limits::name_max;
    const auto max_display = user_info_limits::display_name_max;
    const auto cn_name = user_info_limits::name_chinese_max;
    const auto cn_display = user_info_limits::display_name_chinese_max;
    // 64 + 1 + 63 = 128 characters.
    const std::string email_128 = repeat("a", 64) + "@" + repeat("b", 59) + ".com";
    const auto auto_create = create_action::auto_create;

    return {
        // Chinese characters in names (zoom/FACTS.md, the schema's descriptions).
        {.what = "5 Chinese characters in a first name", .first_name = repeat(wang, cn_name)},
        {.what = "6 Chinese characters in a first name",
         .expected = refused,
         .field = "first_name",
         .first_name = repeat(wang, cn_name + 1)},
        {.what = "5 Chinese characters in a last name", .last_name = repeat(wang, cn_name)},
        {.what = "6 Chinese characters in a last name",
         .expected = refused,
         .field = "last_name",
         .last_name = repeat(wang, cn_name + 1)},
        {.what = "10 Chinese characters in a display name",
         .display_name = repeat(wang, cn_display)},
        {.what = "11 Chinese characters in a display name",
         .expected = refused,
         .field = "display_name",
         .display_name = repeat(wang, cn_display + 1)},
        {.what = "5 Chinese characters among Latin letters",
         .first_name = "Wendy " + repeat(wang, cn_name) + " Wang"},
        {.what = "6 Chinese characters of Extension B",
         .expected = refused,
         .field = "first_name",
         .first_name = repeat(ext_b, cn_name + 1)},
        {.what = "6 compatibility ideographs",
         .expected = refused,
         .field = "last_name",
         .last_name = repeat(compat, cn_name + 1)},
        {.what = "kana are not Chinese characters", .first_name = repeat(kana, 12)},
        {.what = "Hangul is not Chinese", .last_name = repeat(hangul, 20)},

        // Name lengths, in characters.
        {.what = "a first name of 64 characters", .first_name = repeat("x", max_name)},
        {.what = "a first name of 65 characters",
         .expected = refused,
         .field = "first_name",
         .first_name = repeat("x", max_name + 1)},
        {.what = "a last name of 64 two-byte characters", .last_name = repeat(e_acute, max_name)},
        {.what = "a last name of 65 two-byte characters",
         .expected = refused,
         .field = "last_name",
         .last_name = repeat(e_acute, max_name + 1)},
        {.what = "a display name of 128 characters", .display_name = repeat("d", max_display)},
        {.what = "a display name of 129 characters",
         .expected = refused,
         .field = "display_name",
         .display_name = repeat("d", max_display + 1)},

        // Emails.
        {.what = "an email of 128 characters", .email = email_128},
        {.what = "an email of 129 characters",
         .expected = refused,
         .field = "email",
         .email = "c" + email_128},
        {.what = "an email with plus, apostrophe and subdomains",
         .email = "o'brien+zoom@sub.example.co.uk"},
        {.what = "an email in upper case", .email = "USER_1@Example.ORG"},
        {.what = "an email without '@'",
         .expected = refused,
         .field = "email",
         .email = "ann.example.com"},
        {.what = "an email with two '@'",
         .expected = refused,
         .field = "email",
         .email = "ann@lee@example.com"},
        {.what = "an empty email", .expected = refused, .field = "email", .email = ""},
        {.what = "nothing before '@'",
         .expected = refused,
         .field = "email",
         .email = "@example.com"},
        {.what = "a domain without a dot",
         .expected = refused,
         .field = "email",
         .email = "ann@localhost"},
        {.what = "two dots in a row",
         .expected = refused,
         .field = "email",
         .email = "ann..lee@example.com"},
        {.what = "a leading dot",
         .expected = refused,
         .field = "email",
         .email = ".ann@example.com"},
        {.what = "a space", .expected = refused, .field = "email", .email = "ann lee@example.com"},
        {.what = "a non-ASCII letter",
         .expected = refused,
         .field = "email",
         .email = "jos" + e_acute + "@example.com"},
        {.what = "a domain label starting with '-'",
         .expected = refused,
         .field = "email",
         .email = "ann@-example.com"},
        {.what = "an empty domain label",
         .expected = refused,
         .field = "email",
         .email = "ann@example..com"},
        {.what = "a numeric top-level label",
         .expected = refused,
         .field = "email",
         .email = "ann@1.2.3.4"},
        {.what = "an underscore in the domain",
         .expected = refused,
         .field = "email",
         .email = "ann@exa_mple.com"},
        {.what = "a local part of 65 characters",
         .expected = refused,
         .field = "email",
         .email = repeat("a", 65) + "@example.com"},

        // User types.
        {.what = "type 1 (Basic)", .type = 1},
        {.what = "type 2 (Licensed)", .type = 2},
        {.what = "type 4 (Unassigned)", .type = 4},
        {.what = "type 3 is not a type", .expected = refused, .field = "type", .type = 3},
        {.what = "type 0 is not a type", .expected = refused, .field = "type", .type = 0},
        {.what = "type 99 with create", .expected = refused, .field = "type", .type = 99},
        {.what = "type 99 with ssoCreate",
         .expected = accepted_but_zprov_refuses,
         .field = "type",
         .action = create_action::sso_create,
         .type = 99,
         .why = "struck out as deprecated in Zoom's schema, which still lists it"},

        // Actions.
        {.what = "custCreate", .action = create_action::cust_create},
        {.what = "ssoCreate", .action = create_action::sso_create},
        {.what = "autoCreate without a password", .action = auto_create},

        // Passwords, autoCreate only.
        {.what = "Zoom's example password", .action = auto_create, .password = "if42!LfH@"},
        {.what = "a password of 8 characters", .action = auto_create, .password = "Secur3Pa"},
        {.what = "a password of 32 characters",
         .action = auto_create,
         .password = "Ab1" + repeat("x", 29)},
        {.what = "a password of 33 characters",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "Ab1" + repeat("x", 30)},
        {.what = "a password of 7 characters",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "Secur3P"},
        {.what = "32 characters of which 29 take two bytes",
         .action = auto_create,
         .password = "Ab1" + repeat(e_acute, 29)},
        {.what = "33 characters of which 30 take two bytes",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "Ab1" + repeat(e_acute, 30)},
        {.what = "one character repeated",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "aaaaaaaa"},
        {.what = "8 ascending digits",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "xY12345678"},
        {.what = "8 ascending letters",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "9Abcdefgh"},
        {.what = "8 descending digits",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "Z87654321"},
        {.what = "7 consecutive characters", .action = auto_create, .password = "Z7654321a"},
        {.what = "no digit",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "abcdefG!"},
        {.what = "no letter",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "1234!#%&2"},
        {.what = "no upper case letter",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "secure1pass"},
        {.what = "no lower case letter",
         .expected = refused,
         .field = "password",
         .action = auto_create,
         .password = "SECURE1PASS"},
        {.what = "a weak password is ignored with create", .password = "weak"},
    };
}

} // namespace zprov::test
