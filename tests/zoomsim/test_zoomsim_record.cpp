// zoomsim's record of its exchanges (--record), which the contract check reads: every request
// with its answer, never a credential.
#include "zoomsim/recorder.hpp"

#include "support/in_process_sim.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace zoomsim;
using namespace zoomsim::testing;
using nlohmann::json;

TEST_CASE("zoomsim record: each exchange a JSON line, without credentials, OAuth and /_sim "
          "without bodies") {
    zprov::test::temp_dir dir;
    const auto path = dir.path() + "/record.jsonl";
    {
        sim_options options = options_with(1000, 1000);
        options.record_path = path;
        options.client_id = "cid";
        options.client_secret = "s3cret-value";
        options.account_id = "acct";
        options.commit_drop_rate = 1;
        in_process_sim f(options);
        f.body = R"({"action":"create","user_info":{"email":"a@x.example.com","type":1}})";
        f.sim->handle({"POST", "/v2/users", "Bearer T", "application/json", f.body, "zprov"});
        f.get("/v2/users/a@x.example.com");
        f.sim->handle({"POST", "/oauth/token?grant_type=account_credentials&account_id=acct",
                       "Basic Y2lkOnMzY3JldC12YWx1ZQ==", "", ""});
        f.stats();
        f.get("/_sim/users");
    }
    std::vector<json> lines;
    std::istringstream in(zprov::test::slurp(path));
    for (std::string line; std::getline(in, line);)
        lines.push_back(json::parse(line));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0]["client"] == "zprov");
    CHECK(lines[0]["method"] == "POST");
    CHECK(lines[0]["target"] == "/v2/users");
    CHECK(lines[0]["content_type"] == "application/json");
    CHECK(json::parse(lines[0]["request"].get<std::string>())["action"] == "create");
    CHECK(lines[0]["answered"] == false); // created, then the connection dropped
    CHECK_FALSE(lines[0].contains("status"));
    CHECK(lines[1]["status"] == 200);
    CHECK(json::parse(lines[1]["response"].get<std::string>())["email"] == "a@x.example.com");
    CHECK(lines[2]["target"] == "/oauth/token?grant_type=account_credentials&account_id=acct");
    CHECK(lines[2]["status"] == 200);
    CHECK_FALSE(lines[2].contains("response")); // the access token
    CHECK(lines[3]["target"] == "/_sim/users");
    CHECK_FALSE(lines[3].contains("response"));
    const auto text = zprov::test::slurp(path);
    for (auto secret : {"Bearer", "Basic", "s3cret", "zs."})
        CHECK(text.find(secret) == std::string::npos);
}
