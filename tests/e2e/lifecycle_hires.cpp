#include "e2e/lifecycle_hires.hpp"

#include <doctest/doctest.h>

namespace zprov::test::lifecycle {
using nlohmann::json;

hire hire_of(int i, const std::string& tag, const std::string& dept_prefix) {
    hire h;
    h.email = "h";
    h.email += std::to_string(i);
    h.email += "@" + tag + ".example.com";
    h.group = groups[static_cast<std::size_t>(i) % groups.size()];
    h.profile = {{"dept", dept_prefix + std::to_string(i % 7)},
                 {"job_title", "Title " + std::to_string(i)},
                 {"location", i % 2 ? "Berlin" : "Lyon"},
                 {"company", "Acme"}};
    return h;
}

std::string hr_rows(int from, int to, const std::string& tag, const std::string& dept_prefix) {
    std::string csv;
    for (int i = from; i < to; ++i) {
        const auto h = hire_of(i, tag, dept_prefix);
        for (const auto& part :
             {h.email, std::string(",Ann,Lee,"), h.profile["dept"].get<std::string>(),
              std::string(","), h.group, std::string(","),
              h.profile["job_title"].get<std::string>(), std::string(","),
              h.profile["location"].get<std::string>(), std::string(",Acme\n")})
            csv += part;
    }
    return csv;
}

std::string hr_sheet(int from, int to, const std::string& tag, const std::string& dept_prefix) {
    return "Email,First Name,Last Name,Department,User Group,Job Title,Location,Company\n" +
           hr_rows(from, to, tag, dept_prefix);
}

std::string names_sheet(int n, const std::string& tag, const std::string& column,
                        const std::string& cell) {
    std::string csv = "Email,First Name,Last Name" + (column.empty() ? "" : "," + column) + "\n";
    for (int i = 0; i < n; ++i)
        csv += hire_of(i, tag).email + ",Ann,Lee" + (column.empty() ? "" : "," + cell) + "\n";
    return csv;
}

void activate(const zoomsim_server& sim, int first, int n, const std::string& tag) {
    json emails = json::array();
    for (int i = first; i < first + n; ++i)
        emails.push_back(hire_of(i, tag).email);
    REQUIRE(sim.activate({{"emails", emails}})["activated"] == n);
}

void check_final_state(const zoomsim_server& sim, int n, const std::string& tag,
                       const std::set<int>& active) {
    const auto stats = sim.stats();
    const auto users = users_by_email(sim);
    for (int i = 0; i < n; ++i) {
        const auto h = hire_of(i, tag);
        CAPTURE(h.email);
        CHECK(created_count(stats, h.email) == 1);
        REQUIRE(users.contains(h.email));
        const auto& u = users.at(h.email);
        CHECK(u["group"] == h.group);
        if (active.contains(i)) {
            CHECK(u["status"] == "active");
            CHECK(u["profile"] == h.profile);
        } else {
            CHECK(u["status"] == "pending");
            CHECK(u["profile"].empty());
        }
    }
    CHECK(stats["profiles_to_pending"] == 0);
}

std::vector<std::string> sim_args(std::vector<std::string> more) {
    std::vector<std::string> args{"--access-token", run_env::token, "--groups",
                                  group_list,       "--plan",       "business"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

} // namespace zprov::test::lifecycle
