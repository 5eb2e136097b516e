#include "zprov/zoom/user_info.hpp"

#include <algorithm>

namespace zprov {

namespace {
constexpr std::array user_types{
    user_type_info{1, "Basic"},
    user_type_info{2, "Licensed"},
    user_type_info{4, "Unassigned"},
    user_type_info{99, "None"},
};
} // namespace

std::span<const user_type_info> user_type_table() {
    return user_types;
}

bool is_user_type(int number) {
    return std::any_of(user_types.begin(), user_types.end(),
                       [number](const auto& t) { return t.number == number; });
}

std::string user_type_names() {
    std::string out;
    for (const auto& t : user_types) {
        if (!out.empty())
            out += ", ";
        out += std::to_string(t.number) + " (" + std::string(t.name) + ")";
    }
    return out;
}

} // namespace zprov
