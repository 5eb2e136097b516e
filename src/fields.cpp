#include "zprov/fields.hpp"

#include "zprov/name_table.hpp"
#include "zprov/text.hpp"

#include <array>

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

constexpr std::array fields{
    field_info{field::email, "email", email_aliases},
    field_info{field::first_name, "first_name", first_name_aliases},
    field_info{field::last_name, "last_name", last_name_aliases},
    field_info{field::display_name, "display_name", display_name_aliases},
    field_info{field::type, "type", type_aliases},
    field_info{field::password, "password", password_aliases},
};

} // namespace

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
