// HR sheets in Zoom's template layout: profile fields and the User Group column, checked
// against a real zoomsim on what it recorded (/_sim/stats, /_sim/users) and on the journal.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

using namespace zprov::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();
const char* const group_names[] = {"Sales", "Support", "Staff"};

// "u{i}@{tag}.example.com", the email of template_csv's row i (appended piece by piece:
// GCC 12 warns falsely, -Wrestrict, on "u" + std::to_string(i)).
std::string email_of(int i, const std::string& tag) {
    std::string email = "u";
    email += std::to_string(i);
    email += "@";
    email += tag;
    email += ".example.com";
    return email;
}

// Zoom's web-import template, n rows; row i is in group_names[i % 3] (written in another
// case on odd rows: names match case-insensitively).
std::string template_csv(int n, const std::string& tag) {
    std::string csv = "Email,First Name,Last Name,Department,Manager,User Group,Job Title,"
                      "Location\n";
    for (int i = 0; i < n; ++i) {
        std::string group = group_names[i % 3];
        if (i % 2 == 1)
            for (auto& c : group)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const auto n_text = std::to_string(i);
        for (const auto& part : {std::string("u"), n_text, "@" + tag + ".example.com,Ann,Lee ",
                                 n_text, std::string(",\"Dept, "), n_text,
                                 "\",boss@" + tag + ".example.com," + group + ",Title ", n_text,
                                 std::string(",Berlin\n")})
            csv += part;
    }
    return csv;
}

// By zoomsim's record: each of template_csv(n, tag)'s users was created once and is in the
// group its row names.
void check_each_once_in_group(const zoomsim_server& sim, int n, const std::string& tag) {
    const auto stats = sim.stats();
    const auto users = users_by_email(sim);
    for (int i = 0; i < n; ++i) {
        const auto email = email_of(i, tag);
        CAPTURE(email);
        CHECK(created_count(stats, email) == 1);
        REQUIRE(users.contains(email));
        CHECK(users.at(email)["group"] == group_names[i % 3]);
    }
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("profile: action create sets each user's group at once and defers the profile, an "
          "unknown group makes its row invalid and unsent") {
    run_env env;
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--groups", "Sales,Support,Staff"}, &env.ca);
    auto csv = env.dir.file("hires.csv", template_csv(12, "hr") +
                                             "bad@hr.example.com,Bo,Ng,Ops,,Sales EMEA,Rep,Oslo\n");
    auto r = env.zprov(sim, csv, {"--plan", "pro"});
    CHECK_MESSAGE(r.exit_code == 1, r.err); // the invalid row
    auto stats = sim.stats();
    CHECK(stats["created"] == 12);
    CHECK(created_count(stats, "bad@hr.example.com") == 0);
    CHECK(stats["group_lists"] == 1);
    CHECK(stats["groups_set"] == 12);
    CHECK(stats["patches"] == 12);
    CHECK(stats["profiles_to_pending"] == 0); // no profile field reached a pending user
    CHECK(stats["profiles_applied"] == 0);
    auto users = users_by_email(sim);
    for (int i = 0; i < 12; ++i) {
        const auto& u = users.at(email_of(i, "hr"));
        CHECK(u["status"] == "pending");
        CHECK(u["group"] == group_names[i % 3]);
        CHECK(u["profile"].empty());
    }
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 12);
    CHECK(s["invalid"] == 1);
    CHECK(s["groups_set"] == 12);
    CHECK(s["groups_due"] == 0);
    CHECK(s["profiles_deferred"] == 12);
    CHECK(s["profiles_applied"] == 0);
    auto report = run_process({zprov_bin, "report", csv + ".journal", "--failed-only"});
    CHECK(report.out.find("User Group 'Sales EMEA' does not exist in the account (3 groups); the "
                          "closest: 'Sales'") != std::string::npos);
    auto status = run_process({zprov_bin, "status", csv + ".journal"});
    CHECK(status.out.find("12 groups set") != std::string::npos);
    CHECK(status.out.find("12 deferred") != std::string::npos);

    // A rerun reads the groups again and sends nothing else.
    auto again = env.zprov(sim, csv, {"--plan", "pro"});
    CHECK(again.exit_code == 1);
    auto after = sim.stats();
    CHECK(requests_but_lists(after) == requests_but_lists(stats) + 1);
    CHECK(after["patches"] == 12);
}

TEST_CASE("profile: custCreate and autoCreate apply group and profile in the same run, by the "
          "calls Zoom documents for active users") {
    for (const std::string action : {"custCreate", "autoCreate"}) {
        CAPTURE(action);
        run_env env;
        zoomsim_server sim(env.dir,
                           {"--access-token", run_env::token, "--groups", "Sales,Support,Staff"},
                           &env.ca);
        auto csv = env.dir.file("hires.csv", template_csv(9, "act"));
        auto r = env.zprov(sim, csv, {"--action", action});
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        auto stats = sim.stats();
        CHECK(stats["created"] == 9);
        // Active users: the group by POST /groups/{groupId}/members, the profile by PATCH
        // /users/{id} without group_id (documented for pending users only).
        CHECK(stats["patches"] == 9);
        CHECK(stats["members_added"] == 9);
        CHECK(stats["group_id_ignored"] == 0);
        CHECK(stats["profiles_applied"] == 9);
        CHECK(stats["profiles_to_pending"] == 0);
        auto users = users_by_email(sim);
        for (int i = 0; i < 9; ++i) {
            const auto& u = users.at(email_of(i, "act"));
            CHECK(u["status"] == "active");
            CHECK(u["group"] == group_names[i % 3]);
            CHECK(u["profile"] == json{{"dept", "Dept, " + std::to_string(i)},
                                       {"job_title", "Title " + std::to_string(i)},
                                       {"location", "Berlin"},
                                       {"manager", "boss@act.example.com"}});
        }
        auto s = journal_status(csv + ".journal");
        CHECK(s["groups_set"] == 9);
        CHECK(s["profiles_applied"] == 9);
        CHECK(s["profiles_deferred"] == 0);
    }
}

TEST_CASE("profile: a kill between the create and its group step - the next run sets the group "
          "once and creates nobody twice") {
    run_env env;
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--groups", "Sales,Support,Staff"}, &env.ca);
    const int n = 6;
    auto csv = env.dir.file("hires.csv", template_csv(n, "kill"));
    auto journal = csv + ".journal";
    auto first = env.zprov(sim, csv, {"--concurrency", "1"});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    REQUIRE(sim.stats()["patches"] == n);

    // The journal as a kill would have left it: rows 0 and 1 created, no step recorded;
    // row 2's step sent (intent) with no outcome; the rest complete.
    std::string cut;
    bool ended = false;
    for (const auto& line : lines_of(slurp(journal))) {
        const bool step = line.find(R"("type":"step")") != std::string::npos;
        const bool intent = line.find(R"("phase":"intent")") != std::string::npos;
        const bool early =
            line.find("u0@kill") != std::string::npos || line.find("u1@kill") != std::string::npos;
        const bool doubt = line.find("u2@kill") != std::string::npos;
        if ((step && early) || (step && doubt && !intent))
            continue;
        if (line.find(R"("type":"end")") != std::string::npos) {
            ended = true;
            continue;
        }
        cut += line + "\n";
    }
    REQUIRE(ended);
    {
        std::ofstream out(journal, std::ios::trunc | std::ios::binary);
        out << cut;
    }
    auto s = journal_status(journal);
    CHECK(s["groups_due"] == 3);
    CHECK(s["groups_set"] == n - 3);

    auto second = env.zprov(sim, csv, {"--concurrency", "1"});
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    auto stats = sim.stats();
    CHECK(stats["patches"] == n + 3); // exactly the three steps owed or in doubt
    CHECK(stats["created"] == n);
    check_each_once_in_group(sim, n, "kill");
    s = journal_status(journal);
    CHECK(s["groups_set"] == n);
    CHECK(s["groups_due"] == 0);

    // Nothing is owed any more: a third run sends no PATCH.
    CHECK(env.zprov(sim, csv, {"--concurrency", "1"}).exit_code == 0);
    CHECK(sim.stats()["patches"] == n + 3);
}

TEST_CASE("profile: kill -9 during the steps, then a final run - every group set, nobody "
          "created twice") {
    run_env env;
    zoomsim_server sim(
        env.dir,
        {"--access-token", run_env::token, "--groups", "Sales,Support,Staff", "--latency-ms", "30"},
        &env.ca);
    const int n = 30;
    auto csv = env.dir.file("hires.csv", template_csv(n, "k9"));
    auto journal = csv + ".journal";
    for (int k = 0; k < 3; ++k) {
        // Killed once a further step intent is on disk: between a create and its group step's
        // answer, at whatever speed the machine runs.
        const auto lines_before = lines_of(slurp(journal)).size();
        background_process p(env.argv(sim, csv, {"--concurrency", "2"}));
        wait_until(
            [&] {
                if (!p.running())
                    return true;
                auto text = slurp(journal);
                return lines_of(text).size() > lines_before + 4 &&
                       text.rfind(R"("phase":"intent")") != std::string::npos;
            },
            20s);
        p.kill();
        p.wait(5s);
    }
    auto final_run = env.zprov(sim, csv);
    CHECK_MESSAGE(final_run.exit_code == 0, final_run.err);
    check_each_once_in_group(sim, n, "k9");
    auto s = journal_status(journal);
    CHECK(s["groups_set"].get<int>() + s["groups_due"].get<int>() == s["created"].get<int>());
    CHECK(s["groups_due"] == 0);
    CHECK(s["in_doubt"] == 0);
}

TEST_CASE("profile: run --dry-run with credentials checks the groups against the account, "
          "read-only, without credentials only the shape") {
    run_env env;
    zoomsim_server sim(
        env.dir, {"--access-token", run_env::token, "--groups", "Sales,Support,Staff"}, &env.ca);
    auto csv =
        env.dir.file("hires.csv", template_csv(3, "dry") +
                                      "bad@dry.example.com,Bo,Ng,Ops,,Sales EMEA,Rep,Oslo\n");
    auto r = env.zprov(sim, csv, {"--dry-run"});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    CHECK(r.err.find("3 rows would be sent, 1 are invalid") != std::string::npos);
    CHECK(r.err.find("Group and profile steps: 1 GET /groups (Medium, 20/s) and 3 PATCH "
                     "/users/{id} (Light, 30/s, shared with the creates) add about 1 s; 3 "
                     "profiles follow by PATCH in a later run") != std::string::npos);
    auto stats = sim.stats();
    CHECK(stats["requests_total"] == 1); // GET /groups, nothing else
    CHECK(stats["group_lists"] == 1);
    CHECK(stats["created"] == 0);
    CHECK(slurp(csv + ".journal").empty());

    ::unsetenv("ZOOM_ACCESS_TOKEN");
    auto offline = env.zprov(sim, csv, {"--dry-run"});
    ::setenv("ZOOM_ACCESS_TOKEN", run_env::token, 1);
    CHECK_MESSAGE(offline.exit_code == 0, offline.err);
    CHECK(offline.err.find("4 rows would be sent, 0 are invalid") != std::string::npos);
    CHECK(sim.stats()["requests_total"] == 1);
}

TEST_CASE("profile: a created row whose group no longer names a group of the account stays "
          "created, only its group step is blocked, said as a step problem") {
    run_env env;
    zoomsim_server sim(env.dir, {"--access-token", run_env::token, "--groups", "Sales,Support"},
                       &env.ca);
    const std::string header = "Email,First Name,Last Name,User Group\n";
    auto csv = env.dir.file("users.csv", header + "g@renamed.example.com,Ann,Lee,Sales\n");
    auto first = env.zprov(sim, csv);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    REQUIRE(journal_status(csv + ".journal")["created"] == 1);
    // The sheet's group is renamed (or the account's): it names no group of the account now.
    {
        std::ofstream out(csv, std::ios::trunc);
        out << header << "g@renamed.example.com,Ann,Lee,Sales EMEA\n";
    }
    auto second = env.zprov(sim, csv);
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    CHECK(second.err.find("g@renamed.example.com: group not set: group: User Group 'Sales EMEA' "
                          "does not exist in the account") != std::string::npos);
    auto s = journal_status(csv + ".journal");
    CHECK(s["created"] == 1);
    CHECK(s["invalid"] == 0);
    CHECK(sim.stats()["created"] == 1);
    // Still created on the next run: no create, no 409.
    auto third = env.zprov(sim, csv);
    CHECK_MESSAGE(third.exit_code == 0, third.err);
    CHECK(sim.stats()["created"] == 1);
    CHECK(sim.stats().value("conflicts", 0) == 0);
    CHECK(journal_status(csv + ".journal")["created"] == 1);
}

TEST_SUITE_END();
