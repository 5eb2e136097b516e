#include "zprov/zoom/user_info.hpp"

#include <algorithm>

namespace zprov {

namespace {
constexpr std::array user_types{
    user_type_info{1, "Basic", false}, user_type_info{2, "Licensed", false},
    user_type_info{4, "Unassigned", false},
    user_type_info{99, "None", true}, // struck out in users-create.openapi.json
};
} // namespace

std::span<const user_type_info> user_type_table() {
    return user_types;
}

bool is_user_type(int number) {
    return std::any_of(user_types.begin(), user_types.end(),
                       [number](const auto& t) { return t.number == number; });
}

bool is_deprecated_user_type(int number) {
    return std::any_of(user_types.begin(), user_types.end(),
                       [number](const auto& t) { return t.number == number && t.deprecated; });
}

std::string user_type_names(bool with_deprecated) {
    std::string out;
    for (const auto& t : user_types) {
        if (t.deprecated && !with_deprecated)
            continue;
        if (!out.empty())
            out += ", ";
        out += std::to_string(t.number) + " (" + std::string(t.name) + ")";
    }
    return out;
}

} // namespace zprov
