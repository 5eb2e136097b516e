#include "zprov/sheet/validation.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace zprov;

TEST_CASE("check_email accepts ordinary addresses") {
    for (auto e : {"a@b.co", "first.last@example.com", "o'brien+zoom@sub.example.co.uk",
                   "USER_1@Example.ORG", "x-y@a-b.io"})
        CHECK_MESSAGE(!check_email(e), e);
}

TEST_CASE("check_email refuses what Zoom refuses, with a reason") {
    CHECK(check_email("") == "missing");
    CHECK(check_email("plainaddress") == "no '@'");
    CHECK(check_email("a@b@c.com") == "more than one '@'");
    CHECK(check_email("@example.com") == "nothing before '@'");
    CHECK(check_email("a@") == "nothing after '@'");
    CHECK(check_email("a@localhost") == "domain 'localhost' has no '.'");
    CHECK(check_email(".a@example.com") == "misplaced '.' before '@'");
    CHECK(check_email("a..b@example.com") == "misplaced '.' before '@'");
    CHECK(check_email("a b@example.com") == "contains a space");
    CHECK(check_email("a@exa_mple.com") == "domain contains '_'");
    CHECK(check_email("a@-example.com") == "domain label starts or ends with '-'");
    CHECK(check_email("a@example..com")->find("empty label") != std::string::npos);
    CHECK(check_email("a@1.2.3.4") == "domain ends in a numeric label");
    CHECK(check_email("jos\xC3\xA9@example.com") == "contains non-ASCII characters");
    CHECK(check_email("a\xC2\xA0@example.com") == "contains a non-breaking space");
    CHECK(check_email("a\xE9@example.com") == "not valid UTF-8");
}

TEST_CASE("check_email: at most 128 characters") {
    std::string local(64, 'a');
    std::string domain = std::string(59, 'b') + ".com"; // 64 + 1 + 63 = 128
    CHECK_FALSE(check_email(local + "@" + domain));
    CHECK(check_email(local + "@c" + domain) == "longer than 128 characters");
    CHECK(check_email(std::string(65, 'a') + "@example.com") ==
          "part before '@' longer than 64 characters");
}

namespace {
std::string repeat_text(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}
} // namespace

TEST_CASE("check_password: Zoom's basic rules") {
    CHECK_FALSE(check_password("Secur3Pass"));
    CHECK_FALSE(check_password("if42!LfH@")); // Zoom's own example
    CHECK(check_password("Ab1").value().find("8 to 32") != std::string::npos);
    CHECK(check_password("Ab1" + std::string(30, 'x')).value().find("8 to 32") !=
          std::string::npos);
    CHECK_FALSE(check_password("Ab1" + std::string(29, 'x')));
    CHECK(check_password("aaaaaaaa") == "is one character repeated");
    CHECK(check_password("12345678").value().find("consecutive") != std::string::npos);
    CHECK(check_password("xY12345678").value().find("consecutive") != std::string::npos);
    CHECK(check_password("9Abcdefgh").value().find("consecutive") != std::string::npos);
    CHECK(check_password("Z87654321").value().find("consecutive") != std::string::npos);
    CHECK_FALSE(check_password("Z7654321a")); // 7 in a row is allowed
    CHECK(check_password("abcdefg!").value() == "needs at least one digit");
    CHECK(check_password("1234!#%&2") == "needs at least one letter");
    CHECK(check_password("secure1pass") == "needs both upper and lower case letters");
    CHECK(check_password("SECURE1PASS") == "needs both upper and lower case letters");
    // Lengths count characters, not bytes.
    CHECK_FALSE(check_password("Ab1" + repeat_text("é", 29)));
    CHECK(check_password("Ab1" + repeat_text("é", 30)).value().find("8 to 32") !=
          std::string::npos);
    CHECK(check_password("Pass\xE9"
                         "word1") == "not valid UTF-8");
}

TEST_CASE("user types: numbers and names") {
    CHECK(parse_user_type("1") == 1);
    CHECK(parse_user_type(" 2 ") == 2);
    CHECK(parse_user_type("licensed") == 2);
    CHECK(parse_user_type("Unassigned") == 4);
    CHECK(parse_user_type("NONE") == 99);
    CHECK_FALSE(parse_user_type("3"));
    CHECK_FALSE(parse_user_type("Pro"));
}

namespace {
user_cells cells_of(std::string_view email, std::string_view first = "", std::string_view last = "",
                    std::optional<std::string_view> type = std::nullopt,
                    std::optional<std::string_view> password = std::nullopt) {
    user_cells c{};
    c[static_cast<std::size_t>(field::email)] = email;
    c[static_cast<std::size_t>(field::first_name)] = first;
    c[static_cast<std::size_t>(field::last_name)] = last;
    c[static_cast<std::size_t>(field::type)] = type;
    c[static_cast<std::size_t>(field::password)] = password;
    return c;
}

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}
} // namespace

TEST_CASE("check_user: names up to 64 characters, counted in code points") {
    user_record u;
    auto hangul64 = repeat("한", 64); // 192 bytes; Hangul is not Chinese
    CHECK(check_user(cells_of("a@example.com", hangul64, "李"), {}, u).empty());
    CHECK(u.first_name == hangul64);
    auto errors = check_user(cells_of("a@example.com", repeat("한", 65), "李"), {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "first_name");
    CHECK(errors[0].reason == "longer than 64 characters");
    errors = check_user(cells_of("a@example.com", "Ann", repeat("é", 65)), {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "last_name");
    errors = check_user(cells_of("a@example.com", "Ren\xE9"), {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].reason.find("UTF-8") != std::string::npos);
}

TEST_CASE("check_user: at most 5 Chinese characters in a first or last name") {
    user_record u;
    CHECK(check_user(cells_of("a@example.com", repeat("王", 5), "欧阳"), {}, u).empty());
    auto errors = check_user(cells_of("a@example.com", repeat("王", 6)), {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "first_name");
    CHECK(errors[0].reason == "6 Chinese characters; Zoom allows at most 5 in first_name");
    errors = check_user(cells_of("a@example.com", "Ann", "司马" + repeat("王", 4)), {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "last_name");
    // Other characters around them do not count; kana and Hangul are not Chinese.
    CHECK(check_user(cells_of("a@example.com", "Wang 王王王王王 (Wendy)", "さとう사토"), {}, u)
              .empty());
}

TEST_CASE("check_user: at most 10 Chinese characters in a display name") {
    user_record u;
    auto c = cells_of("a@example.com");
    auto ten = repeat("王", 10), eleven = repeat("王", 11);
    c[static_cast<std::size_t>(field::display_name)] = ten;
    CHECK(check_user(c, {}, u).empty());
    c[static_cast<std::size_t>(field::display_name)] = eleven;
    auto errors = check_user(c, {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "display_name");
    CHECK(errors[0].reason == "11 Chinese characters; Zoom allows at most 10 in display_name");
}

TEST_CASE("chinese_characters counts Han ideographs only") {
    CHECK(chinese_characters("") == 0u);
    CHECK(chinese_characters("王小明") == 3u);
    CHECK(chinese_characters("\xF0\xA0\x80\x80") == 1u); // U+20000, Extension B
    CHECK(chinese_characters("\xEF\xA4\x80") == 1u);     // U+F900, a compatibility ideograph
    CHECK(chinese_characters("々〇、。") == 0u);         // marks and punctuation
    CHECK(chinese_characters("ひらがなカタカナ한글") == 0u);
}

TEST_CASE("check_user: display_name up to 128 characters") {
    user_record u;
    auto c = cells_of("a@example.com");
    auto ok = repeat("ß", 128), long_name = repeat("ß", 129);
    c[static_cast<std::size_t>(field::display_name)] = ok;
    CHECK(check_user(c, {}, u).empty());
    c[static_cast<std::size_t>(field::display_name)] = long_name;
    auto errors = check_user(c, {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "display_name");
}

TEST_CASE("check_user: type from the cell, else the default - 99 refused as deprecated") {
    user_record u;
    validation_rules rules{create_action::create, 2};
    CHECK(check_user(cells_of("a@example.com"), rules, u).empty());
    CHECK(u.type == 2);
    CHECK(check_user(cells_of("a@example.com", "", "", "Basic"), rules, u).empty());
    CHECK(u.type == 1);
    auto errors = check_user(cells_of("a@example.com", "", "", "99"), rules, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "type");
    // Zoom's schema strikes 99 out, even for ssoCreate, the one action it was for.
    rules.action = create_action::sso_create;
    errors = check_user(cells_of("a@example.com", "", "", "None"), rules, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].reason == "99 (None) is deprecated in Zoom's API (struck out in its schema); "
                              "use 1 (Basic), 2 (Licensed), 4 (Unassigned)");
    errors = check_user(cells_of("a@example.com", "", "", "7"), rules, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].reason.find("not a user type") != std::string::npos);
}

TEST_CASE("check_user: password only for autoCreate, and then checked") {
    user_record u;
    validation_rules create{create_action::create, 1};
    CHECK(check_user(cells_of("a@example.com", "", "", std::nullopt, "weak"), create, u).empty());
    CHECK(u.password.empty()); // never sent with create
    validation_rules auto_create{create_action::auto_create, 1};
    auto errors =
        check_user(cells_of("a@example.com", "", "", std::nullopt, "weak"), auto_create, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "password");
    CHECK(check_user(cells_of("a@example.com", "", "", std::nullopt, "Secur3Pass"), auto_create, u)
              .empty());
    CHECK(u.password == "Secur3Pass");
}

TEST_CASE("check_user reports every bad field of a row, and trims the email") {
    user_record u;
    auto errors = check_user(cells_of(" not-an-email ", repeat("x", 65), "", "Gold"), {}, u);
    CHECK(errors.size() == 3);
    CHECK(u.email == "not-an-email");
    CHECK(email_key("Ann.Lee@Example.COM") == "ann.lee@example.com");
}

TEST_CASE("check_user: the type message offers only the types Zoom takes") {
    user_record u;
    auto errors = check_user(cells_of("a@example.com", "", "", "Premium"), {}, u);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].reason == "'Premium' is not a user type; use 1 (Basic), 2 (Licensed), 4 "
                              "(Unassigned)");
    CHECK(errors[0].reason.find("99") == std::string::npos);
}

TEST_CASE("check_user: dept and cost_center are at most 256 characters, refused beyond it") {
    for (auto f : {field::dept, field::cost_center}) {
        user_record u;
        auto c = cells_of("a@example.com");
        const auto fits = repeat("\xC3\xA9", 256); // characters, not bytes
        c[static_cast<std::size_t>(f)] = fits;
        CHECK(check_user(c, {}, u).empty());
        CHECK(u.profile[profile_index(f)] == fits);
        const auto too_long = std::string(200000, 'd');
        c[static_cast<std::size_t>(f)] = too_long;
        auto errors = check_user(c, {}, u);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == std::string(name_of(f)));
        CHECK(errors[0].reason == "longer than 256 characters");
    }
    CHECK(profile_max_chars(field::dept) == profile_limits::dept_max);
    CHECK(profile_max_chars(field::cost_center) == profile_limits::cost_center_max);
}

TEST_CASE("check_user: Unicode spaces around a profile or group cell are trimmed like ASCII "
          "spaces") {
    user_record u;
    auto c = cells_of("a@example.com");
    // No-break space, narrow no-break space, ideographic space, em space, zero-width space.
    c[static_cast<std::size_t>(field::dept)] = "\xC2\xA0 Sales\xC2\xA0";
    c[static_cast<std::size_t>(field::job_title)] = "Engineer\xE2\x80\xAF";
    c[static_cast<std::size_t>(field::location)] = "\xE3\x80\x80Tokyo\xE2\x80\x83";
    c[static_cast<std::size_t>(field::company)] = "Acme\xE2\x80\x8B";
    c[static_cast<std::size_t>(field::group)] = "Staff\xC2\xA0";
    CHECK(check_user(c, {}, u).empty());
    CHECK(u.profile[profile_index(field::dept)] == "Sales");
    CHECK(u.profile[profile_index(field::job_title)] == "Engineer");
    CHECK(u.profile[profile_index(field::location)] == "Tokyo");
    CHECK(u.profile[profile_index(field::company)] == "Acme");
    CHECK(u.group == "Staff");
    // Inside the text they stay.
    c[static_cast<std::size_t>(field::dept)] = "R\xC2\xA0&\xC2\xA0"
                                               "D";
    CHECK(check_user(c, {}, u).empty());
    CHECK(u.profile[profile_index(field::dept)] == "R\xC2\xA0&\xC2\xA0"
                                                   "D");
}
