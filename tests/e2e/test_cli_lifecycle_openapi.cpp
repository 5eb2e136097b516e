// The lifecycle of HR rows by Zoom's OpenAPI (pending users listed without ids, expired
// invitations and 1120, group_id for active users, granular scopes, malformed lists): what
// zprov does wherever the documents leave Zoom's behaviour open.
#include "e2e/lifecycle_hires.hpp"
#include "support/process.hpp"
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace zprov::test;
using namespace zprov::test::lifecycle;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();

// profile_fields_to_pending: profile fields zoomsim answered with success and dropped, by
// email; summed.
std::int64_t profile_fields_to_pending(const json& stats) {
    std::int64_t n = 0;
    for (const auto& [email, fields] : stats["profile_fields_to_pending"].items())
        n += fields.get<std::int64_t>();
    return n;
}

// The whole lifecycle by Zoom's OpenAPI (pending users listed without ids, expiry, 1120):
// 20 hires; a rerun sends no profile to a pending user; 12 accept and get exactly their
// profiles; 31 days later the 8 others are expired; --reinvite creates them again, with no
// DELETE, as `mode` (zoomsim's --expired-create) lets it.
void twenty_hires_until_expiry(const std::string& mode) {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({"--expired-create", mode}), &env.ca);
    const int n = 20;
    const std::string tag = "exp" + mode;
    auto csv = env.dir.file("hires.csv", hr_sheet(0, n, tag));
    auto journal = csv + ".journal";
    const std::vector<std::string> plan{"--plan", "business"};
    auto first = env.zprov(sim, csv, plan);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    auto rerun = env.zprov(sim, csv, plan); // at once: nobody has accepted
    REQUIRE_MESSAGE(rerun.exit_code == 0, rerun.err);
    auto stats = sim.stats();
    CHECK(profile_fields_to_pending(stats) == 0);
    CHECK(stats["profiles_to_pending"] == 0);
    CHECK(stats["profiles_applied"] == 0);
    auto s = journal_status(journal);
    CHECK(s["users_pending"] == n);
    CHECK(s["users_active"] == 0);

    activate(sim, 0, 12, tag);
    auto accepted = env.zprov(sim, csv, plan);
    REQUIRE_MESSAGE(accepted.exit_code == 0, accepted.err);
    CHECK(accepted.err.find("12 users accepted their invitation") != std::string::npos);
    stats = sim.stats();
    CHECK(stats["profiles_applied"] == 12);
    CHECK(profile_fields_to_pending(stats) == 0);
    s = journal_status(journal);
    CHECK(s["users_active"] == 12);
    CHECK(s["users_pending"] == 8);

    sim.control("advance", {{"days", 31}});
    auto lapsed = env.zprov(sim, csv, plan); // without --reinvite: reported, not created
    CHECK_MESSAGE(lapsed.exit_code == 0, lapsed.err);
    CHECK(lapsed.err.find("8 invitations expired") != std::string::npos);
    s = journal_status(journal);
    CHECK(s["expired"] == 8);
    CHECK(s["users_expired"] == 8);
    CHECK(s["users_active"] == 12); // none of the 8 taken for active
    CHECK(s["users_pending"] == 0);
    CHECK(s["created"] == 12);
    auto text = run_process({zprov_bin, "status", journal});
    CHECK(text.out.find("expired   8") != std::string::npos);
    auto report = run_process({zprov_bin, "report", journal});
    CHECK(occurrences(report.out, ".example.com,expired,") == 8);
    stats = sim.stats();
    CHECK(stats["created"] == n);
    CHECK(stats["profiles_applied"] == 12);

    auto reinvite = env.zprov(sim, csv, {"--plan", "business", "--reinvite"});
    stats = sim.stats();
    CHECK(stats["deletes"] == 0); // an expired invitation needs no DELETE
    for (int i = 12; i < n; ++i) {
        const auto h = hire_of(i, tag);
        CAPTURE(h.email);
        CHECK(created_count(stats, h.email) == (mode == "new-id" ? 2 : 1));
    }
    s = journal_status(journal);
    if (mode == "new-id") {
        CHECK_MESSAGE(reinvite.exit_code == 0, reinvite.err);
        CHECK(stats["created"] == n + 8);
        CHECK(s["expired"] == 0);
        CHECK(s["users_pending"] == 8);
        CHECK(s["created"] == n);
        const auto users = users_by_email(sim);
        for (int i = 12; i < n; ++i) {
            const auto h = hire_of(i, tag);
            CHECK(users.at(h.email)["status"] == "pending");
            CHECK(users.at(h.email)["group"] == h.group); // the new invitation's group
        }
    } else {
        CHECK_MESSAGE(reinvite.exit_code == 0, reinvite.err);
        CHECK(stats["created"] == n);
        CHECK(s["expired"] == 8);
        CHECK(reinvite.err.find("web portal") != std::string::npos);
        auto why = run_process({zprov_bin, "report", journal});
        CHECK(why.out.find("Resend") != std::string::npos);
    }
    // Once each: another --reinvite run creates nobody again (new-id: they are pending now).
    const auto created = stats["created"];
    auto again = env.zprov(sim, csv, {"--plan", "business", "--reinvite"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    if (mode == "new-id")
        CHECK(sim.stats()["created"] == created);
    CHECK(sim.stats()["deletes"] == 0);
}
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("lifecycle (OpenAPI): 20 hires, 12 accept and get exactly their profiles, 8 expire "
          "after 31 days and --reinvite creates them again without a DELETE (a new id)") {
    twenty_hires_until_expiry("new-id");
}

TEST_CASE("lifecycle (OpenAPI): an expired invitation Zoom refuses to renew (409, then 1120) "
          "stays expired and the message points to the web portal's Resend") {
    twenty_hires_until_expiry("conflict");
}

TEST_CASE("lifecycle (OpenAPI): autoCreate users and an HR group change land in their group, "
          "the primary group right, whatever zoomsim does with group_id for active users") {
    for (const std::string rule : {"ignore", "replace", "add"}) {
        CAPTURE(rule);
        run_env env;
        zoomsim_server sim(env.dir, sim_args({"--active-group-id", rule}), &env.ca);
        const std::string tag = "auto" + rule;
        auto sheet = [&](const std::string& moved_group) {
            std::string csv = "Email,First Name,Last Name,Password,User Group,Department\n";
            for (int i = 0; i < 6; ++i) {
                const auto h = hire_of(i, tag);
                csv += h.email + ",Ann,Lee,Tr0ub4dor-3x!," + (i == 1 ? moved_group : h.group) +
                       ",Lab\n";
            }
            return csv;
        };
        auto csv = env.dir.file("hires.csv", sheet(hire_of(1, tag).group));
        const std::vector<std::string> args{"--plan", "business", "--action", "autoCreate"};
        auto first = env.zprov(sim, csv, args);
        REQUIRE_MESSAGE(first.exit_code == 0, first.err);
        auto users = users_by_email(sim);
        for (int i = 0; i < 6; ++i) {
            const auto h = hire_of(i, tag);
            CAPTURE(h.email);
            CHECK(users.at(h.email)["status"] == "active");
            CHECK(users.at(h.email)["groups"] == json::array({h.group}));
            CHECK(users.at(h.email)["primary_group"] == h.group);
            CHECK(users.at(h.email)["profile"]["dept"] == "Lab");
        }
        CHECK(sim.stats()["members_added"] == 6);

        // HR moves row 1 from its group to Legal: moved, Legal its primary, nothing else sent.
        {
            std::ofstream out(csv, std::ios::trunc);
            out << sheet("Legal");
        }
        const auto before = sim.stats();
        auto moved = env.zprov(sim, csv, args);
        CHECK_MESSAGE(moved.exit_code == 0, moved.err);
        users = users_by_email(sim);
        const auto h1 = hire_of(1, tag);
        CHECK(users.at(h1.email)["groups"] == json::array({"Legal"}));
        CHECK(users.at(h1.email)["primary_group"] == "Legal");
        const auto after = sim.stats();
        CHECK(after["member_moves"].get<int>() - before["member_moves"].get<int>() == 1);
        CHECK(after["patches"] == before["patches"]); // no group_id sent to an active user
        CHECK(after["members_added"] == before["members_added"]);
        auto again = env.zprov(sim, csv, args); // applied: nothing more
        CHECK_MESSAGE(again.exit_code == 0, again.err);
        CHECK(sim.stats()["member_moves"] == after["member_moves"]);
        CHECK(sim.stats()["lookups"] == after["lookups"]);
    }
}

TEST_CASE("lifecycle (OpenAPI): a granular token without user:update:user:admin on a sheet "
          "with HR columns ends 77 before any request, naming the scope (with --account-id the "
          ":master one)") {
    run_env env;
    oauth_credentials creds;
    for (const bool sub : {false, true}) {
        CAPTURE(sub);
        const std::string scopes =
            sub ? "user:write:user:master user:read:user:master user:read:list_users:master"
                : "user:write:user:admin user:read:user:admin user:read:list_users:admin";
        zoomsim_server sim(env.dir,
                           oauth_credentials::sim_args({"--scopes", scopes, "--sub-account",
                                                        "sub-9", "--groups", group_list}),
                           &env.ca);
        auto csv =
            env.dir.file(sub ? "sub.csv" : "own.csv", "Email,First Name,Last Name,Department\n"
                                                      "ann@scope.example.com,Ann,Lee,Lab\n");
        std::vector<std::string> args{"--plan", "business", "--oauth-url", sim.oauth_url()};
        if (sub) {
            args.push_back("--account-id");
            args.push_back("sub-9");
        }
        auto r = env.zprov(sim, csv, args);
        CHECK_MESSAGE(r.exit_code == 77, r.err);
        const std::string wanted = sub ? "user:update:user:master" : "user:update:user:admin";
        CHECK_MESSAGE(r.err.find("add " + wanted + " ") != std::string::npos, r.err);
        CHECK(r.err.find(sub ? "user:update:user:admin" : "user:update:user:master") ==
              std::string::npos);
        const auto stats = sim.stats();
        CHECK(stats["calls_by_operation"].empty()); // the token only: no API request
        CHECK(stats["requests_total"] == stats["token_grants"]);
    }
}

TEST_CASE("lifecycle (OpenAPI): list answers that are not well-formed lists mark nobody active, "
          "an endless page token ends with a warning, and the creates still go out" *
          doctest::test_suite("cli")) {
    const std::vector<std::pair<std::string, json>> lists{
        {"no users member",
         {{"status", 200}, {"body", {{"page_size", 300}, {"total_records", 0}}}}},
        {"an error's shape answered 200",
         {{"status", 200}, {"body", {{"code", 124}, {"message", "Invalid access token."}}}}},
        {"a page that omits the user",
         {{"status", 200},
          {"body", {{"users", json::array()}, {"total_records", 0}, {"next_page_token", ""}}}}},
        {"a page token that never ends",
         {{"status", 200},
          {"body",
           {{"users", json::array()}, {"total_records", 1}, {"next_page_token", "again"}}}}},
    };
    for (const auto& [what, list] : lists) {
        CAPTURE(what);
        temp_dir dir;
        scripted_server server(
            dir,
            {{"routes",
              {{{"method", "GET"}, {"path", "/v2/users?status=pending"}, {"answers", {list}}},
               {{"method", "GET"},
                {"path", "/v2/users/"},
                {"answers",
                 {{{"status", 200},
                   {"body",
                    {{"id", "U1"}, {"email", "ann@list.example.com"}, {"status", "pending"}}}}}}},
               {{"method", "POST"},
                {"path", "/v2/users"},
                {"answers", {zoom_created("U1"), zoom_created("U2")}}},
               {{"method", "PATCH"}, {"path", "/v2/users/"}, {"answers", {{{"status", 204}}}}}}}});
        auto csv = dir.file("hires.csv", "Email,First Name,Last Name,Department\n"
                                         "ann@list.example.com,Ann,Lee,Lab\n");
        auto first = run_against(server.base_url(), csv);
        REQUIRE_MESSAGE(first.exit_code == 0, first.err);
        {
            std::ofstream out(csv, std::ios::app);
            out << "bob@list.example.com,Bob,Ray,Lab\n";
        }
        auto second = run_against(server.base_url(), csv);
        CHECK_MESSAGE(second.exit_code == 0, second.err);
        int posts = 0, patches = 0, lists_read = 0;
        for (const auto& r : server.requests()) {
            posts += r["method"] == "POST";
            patches += r["method"] == "PATCH";
            lists_read += r["path"].get<std::string>().starts_with("/v2/users?status=pending");
        }
        CHECK(posts == 2);   // bob's create went out
        CHECK(patches == 0); // ann's profile was not sent: nobody taken for active
        CHECK(lists_read <= 2);
        auto s = journal_status(csv + ".journal");
        CHECK(s["users_active"] == 0);
        CHECK(s["users_pending"] == 2);
        if (what != "a page that omits the user")
            CHECK_MESSAGE(second.err.find("nobody is taken to have accepted") != std::string::npos,
                          second.err);
    }
}

TEST_SUITE_END();
