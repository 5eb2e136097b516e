#include "zprov/fields.hpp"

#include "zprov/name_table.hpp"
#include "zprov/text.hpp"

#include <array>
#include <cctype>
#include <vector>

namespace zprov {

namespace {
using namespace std::string_view_literals;

constexpr std::array email_aliases{"Email"sv,          "Email Address"sv, "E-mail"sv,
                                   "E-mail Address"sv, "Work Email"sv,    "Mail"sv};
constexpr std::array first_name_aliases{"First Name"sv, "Given Name"sv, "First"sv};
constexpr std::array last_name_aliases{"Last Name"sv, "Surname"sv, "Family Name"sv, "Last"sv};
constexpr std::array display_name_aliases{"Display Name"sv};
constexpr std::array type_aliases{"User Type"sv, "License Type"sv};
constexpr std::array password_aliases{"Password"sv};
// As HR exports and Zoom's web-import template name them.
constexpr std::array dept_aliases{"Department"sv, "Dept"sv};
constexpr std::array job_title_aliases{"Job Title"sv, "Title"sv};
constexpr std::array location_aliases{"Location"sv, "Office"sv};
constexpr std::array manager_aliases{"Manager"sv, "Manager Email"sv};
constexpr std::array company_aliases{"Company"sv};
constexpr std::array cost_center_aliases{"Cost Center"sv};
constexpr std::array group_aliases{"User Group"sv};

constexpr std::array fields{
    field_info{field::email, "email", email_aliases},
    field_info{field::first_name, "first_name", first_name_aliases},
    field_info{field::last_name, "last_name", last_name_aliases},
    field_info{field::display_name, "display_name", display_name_aliases},
    field_info{field::type, "type", type_aliases},
    field_info{field::password, "password", password_aliases},
    field_info{field::dept, "dept", dept_aliases},
    field_info{field::job_title, "job_title", job_title_aliases},
    field_info{field::location, "location", location_aliases},
    field_info{field::manager, "manager", manager_aliases},
    field_info{field::company, "company", company_aliases},
    field_info{field::cost_center, "cost_center", cost_center_aliases},
    field_info{field::group, "group", group_aliases},
};
static_assert(fields.size() == field_count);

// Column names that say a column holds a secret: anywhere in the folded header, or as a
// whole word of it ("Initial PIN", "userPin"; not "Shipping").
constexpr std::array secret_name_parts{"password"sv,   "passwd"sv,     "passcode"sv,
                                       "passphrase"sv, "secret"sv,     "token"sv,
                                       "apikey"sv,     "privatekey"sv, "credential"sv};
constexpr std::array secret_name_words{"pin"sv, "pwd"sv, "pw"sv, "otp"sv};

// The header's words, lower-cased: split at anything but letters and digits, and where a
// capital follows a small letter.
std::vector<std::string> header_words(std::string_view header) {
    std::vector<std::string> words(1);
    char previous = ' ';
    for (char c : header) {
        const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
        const bool camel = std::isupper(static_cast<unsigned char>(c)) != 0 &&
                           std::islower(static_cast<unsigned char>(previous)) != 0;
        if ((!alnum || camel) && !words.back().empty())
            words.emplace_back();
        if (alnum)
            words.back() += ascii_lower(c);
        previous = c;
    }
    return words;
}
} // namespace

bool names_a_secret(std::string_view header) {
    const auto folded = fold_header(header);
    for (auto part : secret_name_parts)
        if (folded.find(part) != std::string::npos)
            return true;
    for (const auto& word : header_words(header))
        for (auto secret : secret_name_words)
            if (word == secret)
                return true;
    return false;
}

std::span<const field_info> field_table() {
    return fields;
}

std::string_view name_of(field f) {
    return fields[static_cast<std::size_t>(f)].name;
}

std::optional<field> parse_field(std::string_view name) {
    return id_named(fields, name);
}

std::string fold_header(std::string_view header) {
    std::string out;
    out.reserve(header.size());
    for (char c : header)
        if (c != ' ' && c != '_' && c != '-' && c != '\t')
            out += ascii_lower(c);
    return out;
}

std::optional<field> field_for_header(std::string_view header) {
    auto folded = fold_header(header);
    if (folded.empty())
        return std::nullopt;
    for (const auto& info : fields) {
        if (fold_header(info.name) == folded)
            return info.id;
        for (auto alias : info.aliases)
            if (fold_header(alias) == folded)
                return info.id;
    }
    return std::nullopt;
}

} // namespace zprov
