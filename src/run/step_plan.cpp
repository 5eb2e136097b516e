#include "zprov/run/step_plan.hpp"

#include <array>
#include <string_view>

namespace zprov {

std::uint32_t group_digest(const user_record& user) {
    if (user.group_id.empty())
        return 0;
    const std::array<std::string_view, 1> parts{user.group_id};
    return step_digest(parts);
}

std::uint32_t profile_digest(const user_record& user) {
    if (!user.has_profile())
        return 0;
    std::array<std::string_view, 2 * profile_field_count> parts{};
    for (std::size_t i = 0; i < profile_field_count; ++i) {
        parts[2 * i] = name_of(profile_field_at(i));
        parts[2 * i + 1] = user.profile[i];
    }
    return step_digest(parts);
}

namespace {
// Whether a part in `status` whose applied digest is `applied` is to be sent again for a sheet
// whose digest is `wanted`.
bool changed(step_status status, std::uint32_t applied, std::uint32_t wanted) {
    if (wanted == 0 || wanted == applied)
        return false; // the sheet gives nothing (a value is never cleared), or the same
    if (status == step_status::none)
        return true; // never set: the sheet gives a value now
    return status == step_status::done && applied != 0;
}
} // namespace

step_changes changed_steps(const row_steps& steps, const user_record& user, bool update_existing) {
    if (steps.zoom == zoom_state::gone || (steps.existed && !update_existing))
        return {};
    return {changed(steps.group, steps.group_digest, group_digest(user)),
            changed(steps.profile, steps.profile_digest, profile_digest(user))};
}

} // namespace zprov
