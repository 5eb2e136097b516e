#include "zprov/sheet/fields.hpp"

#include "zprov/base/name_table.hpp"
#include "zprov/base/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace zprov {

namespace {
using namespace std::string_view_literals;

constexpr std::array email_aliases{"Email"sv,
                                   "Email Address"sv,
                                   "E-mail"sv,
                                   "E-mail Address"sv,
                                   "Work Email"sv,
                                   "Mail"sv,
                                   "Work Email Address"sv,
                                   "Primary Work Email"sv,
                                   "Email - Primary Work"sv,
                                   "Business Email"sv,
                                   "Company Email"sv,
                                   "Work Contact: Work Email"sv};
// HR systems (Workday, BambooHR, ADP, HiBob, Personio) export a legal name and the name a
// person goes by: Zoom shows the one people use, the legal one only where that is empty.
constexpr std::array first_name_preferred{"Preferred First Name"sv, "Preferred Name"sv,
                                          "Preferred Name - First Name"sv};
constexpr std::array first_name_aliases{"First Name"sv, "Given Name"sv, "First"sv};
constexpr std::array first_name_fallback{"Legal First Name"sv, "Legal Name - First Name"sv};
constexpr std::array last_name_preferred{"Preferred Last Name"sv, "Preferred Name - Last Name"sv};
constexpr std::array last_name_aliases{"Last Name"sv, "Surname"sv, "Family Name"sv, "Last"sv};
constexpr std::array last_name_fallback{"Legal Last Name"sv, "Legal Name - Last Name"sv};
constexpr std::array display_name_aliases{"Display Name"sv};
constexpr std::array type_aliases{"User Type"sv, "License Type"sv};
constexpr std::array password_aliases{"Password"sv};
// As HR exports and Zoom's web-import template name them. Where an export has both a code
// column ("Department", "Cost Center") and a name column, the name wins.
constexpr std::array dept_preferred{"Department Name"sv, "Department Description"sv,
                                    "Home Department Description"sv};
constexpr std::array dept_aliases{"Department"sv, "Dept"sv, "Home Department"sv};
// Workday's business title is the one people see; its job title names the job profile.
constexpr std::array job_title_preferred{"Business Title"sv};
constexpr std::array job_title_aliases{"Job Title"sv, "Title"sv, "Position"sv, "Position Title"sv,
                                       "Job Title Description"sv};
constexpr std::array location_preferred{"Location Name"sv, "Location Description"sv};
constexpr std::array location_aliases{"Location"sv, "Office"sv, "Work Location"sv, "Site"sv};
// An email names the manager unambiguously; a name is matched to the account's users.
constexpr std::array manager_aliases{
    "Manager Email"sv,    "Manager Email Address"sv,    "Manager Work Email"sv,
    "Supervisor Email"sv, "Supervisor Email Address"sv, "Supervisor Work Email"sv,
    "Reports To Email"sv};
constexpr std::array manager_fallback{"Manager"sv,         "Manager Name"sv, "Supervisor"sv,
                                      "Supervisor Name"sv, "Reports To"sv,   "Reports To Name"sv};
constexpr std::array company_preferred{"Company Name"sv};
constexpr std::array company_aliases{"Company"sv, "Legal Entity"sv, "Subcompany"sv};
constexpr std::array cost_center_preferred{"Cost Center Name"sv, "Cost Centre Name"sv};
constexpr std::array cost_center_aliases{"Cost Center"sv, "Cost Centre"sv};
constexpr std::array group_aliases{"User Group"sv};

constexpr std::array fields{
    field_info{field::email, "email", email_aliases},
    field_info{field::first_name, "first_name", first_name_aliases, first_name_preferred,
               first_name_fallback},
    field_info{field::last_name, "last_name", last_name_aliases, last_name_preferred,
               last_name_fallback},
    field_info{field::display_name, "display_name", display_name_aliases},
    field_info{field::type, "type", type_aliases},
    field_info{field::password, "password", password_aliases},
    field_info{field::dept, "dept", dept_aliases, dept_preferred},
    field_info{field::job_title, "job_title", job_title_aliases, job_title_preferred},
    field_info{field::location, "location", location_aliases, location_preferred},
    field_info{field::manager, "manager", manager_aliases, {}, manager_fallback},
    field_info{field::company, "company", company_aliases, company_preferred},
    field_info{field::cost_center, "cost_center", cost_center_aliases, cost_center_preferred},
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

std::string alias_list(const field_info& info) {
    std::string out;
    for (auto names : {info.preferred, info.aliases, info.fallback}) {
        if (names.empty())
            continue;
        if (!out.empty())
            out += "; then ";
        for (std::size_t i = 0; i < names.size(); ++i)
            out += (i == 0 ? "" : ", ") + std::string(names[i]);
    }
    return out;
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

std::optional<header_match> match_header(std::string_view header) {
    auto folded = fold_header(header);
    if (folded.empty())
        return std::nullopt;
    auto among = [&folded](std::span<const std::string_view> names) {
        return std::any_of(names.begin(), names.end(),
                           [&folded](std::string_view n) { return fold_header(n) == folded; });
    };
    // The ranked lists first: "Manager" is the field's name, yet a fallback to its email.
    for (const auto& info : fields) {
        if (among(info.preferred))
            return header_match{info.id, column_rank::preferred};
        if (among(info.fallback))
            return header_match{info.id, column_rank::fallback};
        if (fold_header(info.name) == folded || among(info.aliases))
            return header_match{info.id, column_rank::usual};
    }
    return std::nullopt;
}

std::optional<field> field_for_header(std::string_view header) {
    if (auto m = match_header(header))
        return m->id;
    return std::nullopt;
}

} // namespace zprov
