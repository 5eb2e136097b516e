// Runs the built `zprov` with --account-id against zoomsim's sub-accounts: users land in the
// sub-account and not in the app's own account, a 409 is looked up in the same sub-account,
// a journal keeps to the account it was started for, an unknown sub-account stops the run,
// a token without a master scope is refused before anything is sent, and the group and
// profile steps go to the sub-account's groups and users.
#include "support/process.hpp"
#include "support/sim_fixture.hpp"
#include "zprov/journal/records.hpp"
#include "zprov/zoom/api.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace zprov::test;
using nlohmann::json;

namespace {

constexpr const char* sub = "SubAcct_7Qx";
// A master account's app: it may create users in its own account and in its sub-accounts,
// and look them up, update them, list groups and set their members there (each call's
// :master scope).
const std::vector<std::string> master_scopes{
    "--scopes", "user:write:admin user:read:admin user:write:user:master user:read:user:master "
                "user:update:user:master group:read:list_groups:master "
                "group:write:member:master group:update:member:master"};

std::vector<std::string> sim_args(std::vector<std::string> more) {
    std::vector<std::string> a{"--access-token", run_env::token,  "--plan",
                               "business",       "--sub-account", sub,
                               "--sub-account",  "Other_2"};
    a.insert(a.end(), master_scopes.begin(), master_scopes.end());
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

json users_of(const zoomsim_server& sim, const std::string& account) {
    return sim.stats()["sub_account_users"][account];
}

} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("accounts: an import with --account-id lands in that sub-account only, a second "
          "journal finds the users there with GET /accounts/{id}/users/{email}") {
    run_env env;
    auto existing = env.dir.file("existing.txt", "user0@sub.example.com\n");
    zoomsim_server sim(env.dir, sim_args({"--existing", existing}), &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(12, "sub"));
    auto r = env.zprov(sim, csv, {"--account-id", sub});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto stats = sim.stats();
    CHECK(stats["created"] == 12); // user0 of the app's own account is another user
    CHECK(stats["conflicts"] == 0);
    CHECK(stats["users_total"] == 1); // the app's own account: only the user it had
    REQUIRE(users_of(sim, sub).size() == 12);
    CHECK(users_of(sim, sub)[0] == "user0@sub.example.com");
    CHECK(users_of(sim, "Other_2").empty());
    CHECK(journal_status(csv + ".journal")["created"] == 12);

    // Another journal, the same rows: Zoom answers 409 and the lookup asks the sub-account.
    auto again = env.zprov(sim, csv, {"--account-id", sub, "--journal", csv + ".second"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    stats = sim.stats();
    CHECK(stats["conflicts"] == 12);
    CHECK(stats["lookups"] == 12);
    CHECK(stats["created"] == 12);
    CHECK(journal_status(csv + ".second")["exists"] == 12);
}

TEST_CASE("accounts: with --account-id the group and profile steps use the sub-account's "
          "paths: autoCreate lands each user's group and profile in the sub-account") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({"--groups", "Sales,Support"}), &env.ca);
    std::string csv_text = "Email,First Name,Last Name,Department,User Group,Job Title\n";
    for (int i = 0; i < 6; ++i)
        for (const auto& part :
             {std::string("hr"), std::to_string(i), std::string("@sub.example.com,Ann,Lee,Ops,"),
              std::string(i % 2 ? "support" : "Sales"), std::string(",Rep\n")})
            csv_text += part;
    auto csv = env.dir.file("hires.csv", csv_text);
    auto r = env.zprov(sim, csv, {"--account-id", sub, "--action", "autoCreate"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    auto stats = sim.stats();
    CHECK(stats["group_lists"] == 1);
    CHECK(stats["patches"] == 6);       // the profiles, without group_id (active users)
    CHECK(stats["members_added"] == 6); // the groups: POST /accounts/{id}/groups/{g}/members
    CHECK(stats["group_id_ignored"] == 0);
    CHECK(stats["profiles_applied"] == 6);
    CHECK(stats["status_counts"].value("404", 0) == 0);
    auto users = sim.users();
    CHECK(users["users"].empty()); // nothing in the app's own account
    CHECK(users["sub_accounts"]["Other_2"].empty());
    REQUIRE(users["sub_accounts"][sub].size() == 6);
    for (const auto& u : users["sub_accounts"][sub]) {
        CAPTURE(u);
        const bool support = u["email"].get<std::string>()[2] % 2 == 1; // hr1, hr3, hr5
        CHECK(u["group"] == (support ? "Support" : "Sales"));
        CHECK(u["profile"] == json{{"dept", "Ops"}, {"job_title", "Rep"}});
    }
    auto s = journal_status(csv + ".journal");
    CHECK(s["groups_set"] == 6);
    CHECK(s["profiles_applied"] == 6);
}

TEST_CASE("accounts: a journal refuses to go on for another account (exit 78) and sends "
          "nothing") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({}), &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(6, "keep"));
    // Started for the sub-account, stopped by the daily cap halfway.
    auto first = env.zprov(sim, csv, {"--account-id", sub, "--daily-cap", "3"});
    CHECK_MESSAGE(first.exit_code == 75, first.err);
    REQUIRE(users_of(sim, sub).size() == 3);
    const auto journal = slurp(csv + ".journal");
    const auto requests = sim.stats()["requests_total"];

    for (const auto& extra : std::vector<std::vector<std::string>>{
             {"--account-id", "Other_2"}, {}, {"--account-id", ""}}) {
        auto r = env.zprov(sim, csv, extra);
        CHECK_MESSAGE(r.exit_code == 78, r.err);
        CHECK(has(r.err, "started for the sub-account " + std::string(sub)));
        CHECK(has(r.err, "rerun with --account-id " + std::string(sub)));
        CHECK(has(r.err, extra.size() == 2 && !extra[1].empty() ? "the sub-account Other_2"
                                                                : "the app's own account"));
    }
    CHECK(sim.stats()["requests_total"] == requests);
    CHECK(slurp(csv + ".journal") == journal);

    // The same account resumes it (past its own cap, which the first run set low).
    auto resumed = env.zprov(sim, csv, {"--account-id", sub, "--clear-pause"});
    CHECK_MESSAGE(resumed.exit_code == 0, resumed.err);
    CHECK(users_of(sim, sub).size() == 6);
    CHECK(sim.stats()["users_total"] == 0);
}

TEST_CASE("accounts: a journal of the app's own account (as every older journal) refuses "
          "--account-id") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({}), &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(4, "own"));
    auto first = env.zprov(sim, csv, {"--daily-cap", "2"});
    CHECK_MESSAGE(first.exit_code == 75, first.err);
    CHECK_FALSE(has(slurp(csv + ".journal"), "\"account\""));
    const auto requests = sim.stats()["requests_total"];
    auto r = env.zprov(sim, csv, {"--account-id", sub});
    CHECK_MESSAGE(r.exit_code == 78, r.err);
    CHECK(has(r.err, "started for the app's own account (no --account-id)"));
    CHECK(has(r.err, "rerun with no --account-id"));
    CHECK(sim.stats()["requests_total"] == requests);
    CHECK(users_of(sim, sub).empty());
}

TEST_CASE("accounts: a sub-account Zoom does not know stops the run (exit 77) naming "
          "--account-id") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({}), &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(20, "nowhere"));
    auto r = env.zprov(sim, csv, {"--account-id", "NoSuchSub", "--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 77, r.err);
    CHECK(has(r.err, "--account-id is not a sub-account"));
    auto stats = sim.stats();
    CHECK(stats["created"] == 0);
    CHECK(stats["status_counts"]["400"] == 1); // the first refusal stops the run
}

TEST_CASE("accounts: a token without a master scope is refused before any POST, naming "
          "user:write:user:master and user:master") {
    run_env env;
    oauth_credentials oauth;
    zoomsim_server sim(env.dir,
                       oauth_credentials::sim_args(
                           {"--sub-account", sub, "--scopes", "user:write:admin user:read:admin"}),
                       &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(3, "scope"));
    auto r = env.zprov(sim, csv, {"--oauth-url", sim.oauth_url(), "--account-id", sub});
    CHECK_MESSAGE(r.exit_code == 77, r.err);
    CHECK(has(r.err, "user:write:user:master"));
    CHECK(has(r.err, "user:master"));
    CHECK(sim.stats()["requests_total"] == 1); // the token request only
}

TEST_CASE("accounts: the sub-account paths and the journal header's account" *
          doctest::test_suite("unit")) {
    using namespace zprov;
    CHECK(zoom_api::create_users_path("") == "/users");
    CHECK(zoom_api::create_users_path("S1") == "/accounts/S1/users");
    CHECK(zoom_api::user_path("", "a@b.example") == "/users/a%40b.example");
    CHECK(zoom_api::user_path("S1", "a@b.example") == "/accounts/S1/users/a%40b.example");
    CHECK(zoom_api::category_of("POST", "/accounts/S1/users") == rate_category::light);
    CHECK(zoom_api::category_of("GET", "/accounts/S1/users/x") == rate_category::light);
    CHECK(zoom_api::list_groups_path("") == "/groups");
    CHECK(zoom_api::list_groups_path("S1") == "/accounts/S1/groups");
    CHECK(zoom_api::group_members_path("S1", "g1") == "/accounts/S1/groups/g1/members");
    CHECK(zoom_api::category_of("PATCH", "/accounts/S1/users/x") == rate_category::light);
    CHECK(zoom_api::category_of("GET", "/accounts/S1/groups") == rate_category::medium);
    CHECK(zoom_api::category_of("POST", "/accounts/S1/groups/g1/members") == rate_category::medium);
    CHECK_FALSE(zoom_api::category_of("GET", "/accounts/S1"));
    CHECK_FALSE(zoom_api::category_of("GET", "/accounts//groups"));
    CHECK_FALSE(zoom_api::category_of("GET", "/accounts/S1/accounts/S2/groups"));

    auto line = encode(header_record{2, "t", "S1"});
    CHECK(line.starts_with(journal_format::header_prefix));
    auto back = decode(line);
    REQUIRE(back);
    CHECK(std::get<header_record>(*back).account == "S1");
    // The app's own account is not written: older journals read the same.
    auto own = encode(header_record{2, "t", ""});
    CHECK(own.find("account") == std::string::npos);
    CHECK(std::get<header_record>(*decode(own)).account.empty());
}

TEST_CASE("accounts: an --account-id that is a dot segment is refused at start-up (exit 78) and "
          "nothing is sent") {
    run_env env;
    zoomsim_server sim(env.dir, sim_args({}), &env.ca);
    auto csv = env.dir.file("users.csv", users_csv(2, "dots"));
    // (An empty one means the app's own account: see the test above.)
    for (const char* id : {"..", "."}) {
        auto r = env.zprov(sim, csv, {"--account-id", id});
        CHECK_MESSAGE(r.exit_code == 78, r.err);
        CHECK(has(r.err, "--account-id"));
    }
    CHECK(sim.stats()["requests_total"] == 0);
}

TEST_SUITE_END();
