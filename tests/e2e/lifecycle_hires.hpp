// The HR sheet of the lifecycle tests (test_cli_lifecycle*.cpp): hire i's email, group and
// profile as Zoom should end up holding them, the sheets that list them, and the checks of
// zoomsim's record against them.
#pragma once

#include "support/sim_fixture.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace zprov::test::lifecycle {

inline const std::vector<std::string> groups{"Sales", "Support", "Staff", "Legal", "Ops"};
inline const std::string group_list = "Sales,Support,Staff,Legal,Ops";

// Row i of hr_sheet: its email, group and profile as Zoom should end up holding them.
struct hire {
    std::string email, group;
    nlohmann::json profile;
};

hire hire_of(int i, const std::string& tag, const std::string& dept_prefix = "Dept ");

// Zoom's template columns plus Company: rows `from` to `to` (exclusive), in that order.
std::string hr_rows(int from, int to, const std::string& tag,
                    const std::string& dept_prefix = "Dept ");

std::string hr_sheet(int from, int to, const std::string& tag,
                     const std::string& dept_prefix = "Dept ");

// Hires 0 .. n - 1 with their names only, or with one more column (`column`) holding `cell`.
std::string names_sheet(int n, const std::string& tag, const std::string& column = "",
                        const std::string& cell = "");

// Activates hires `first` .. `first + n - 1` in zoomsim.
void activate(const zoomsim_server& sim, int first, int n, const std::string& tag);

// By zoomsim's record: every hire in [0, n) created once and in its group; the `active` ones
// carry the sheet's profile exactly, the others none.
void check_final_state(const zoomsim_server& sim, int n, const std::string& tag,
                       const std::set<int>& active);

// zoomsim's options: run_env's token, the groups above, the Business plan, then `more`.
std::vector<std::string> sim_args(std::vector<std::string> more = {});

} // namespace zprov::test::lifecycle
