// What the row path's step and re-invite cases (test_row_path_steps.cpp,
// test_row_path_reinvites.cpp) share: Zoom's user paths, a row with a group, and GET
// /users/{id}'s answer.
#pragma once

#include "support/row_path_fixture.hpp"

#include <string>

namespace zprov::test::steps {

inline const std::string users = "/v2/users";
inline const std::string one_user = "/v2/users/"; // GET, PATCH, DELETE /users/{id}

inline work_item with_group(work_item item) {
    item.user.group = "Sales";
    item.user.group_id = "group-7";
    return item;
}

// GET /users/{id}'s answer for the user `id` with `email` in `status`.
inline scripted_answer zoom_user(const std::string& id, const std::string& email,
                                 const std::string& status) {
    return answer(200, {{"id", id}, {"email", email}, {"status", status}});
}

} // namespace zprov::test::steps
