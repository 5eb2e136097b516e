// Answers to a re-invite that zoomsim never gives, from the scripted server: a DELETE in
// doubt settled by the next run after its row left the sheet, a re-create's 409 naming the id
// just deleted (the DELETE landing late), and a DELETE Zoom refuses.
#include "e2e/stale_accounts.hpp"
#include "support/process.hpp"
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace zprov::test;
using namespace zprov::test::reinvite;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {
const std::string zprov_bin = zprov::test::zprov_program();
} // namespace

TEST_SUITE_BEGIN("zoomsim");

TEST_CASE("reinvite: a DELETE in doubt is shown by status and settled by the next run even when "
          "its row has left the sheet" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const json pending_list = {
        {"status", 200},
        {"body",
         {{"users", {{{"email", "left@x.example.com"}, {"status", "pending"}}}},
          {"next_page_token", ""}}}};
    const json pending_user = {
        {"status", 200},
        {"body", {{"id", "U1"}, {"email", "left@x.example.com"}, {"status", "pending"}}}};
    const json down = {{"status", 503}, {"body", "down"}};
    scripted_server server(
        dir,
        {{"routes",
          {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("U1")}}},
           {{"method", "GET"},
            {"path", "/v2/users/U1"},
            {"answers",
             {pending_user, down, down, down, zoom_error(404, 1001, "User does not exist: U1.")}}},
           {{"method", "GET"}, {"path", "/v2/users"}, {"answers", {pending_list}}},
           {{"method", "DELETE"},
            {"path", "/v2/users/U1"},
            {"answers", {{{"raw", ""}, {"close", true}}}}}}}});
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\nleft@x.example.com,Ann,Lee\n");
    const auto journal = csv + ".journal";
    REQUIRE(run_against(server.base_url(), csv).exit_code == 0);
    // The DELETE's answer is lost and Zoom cannot be asked (503s): in doubt.
    auto first = run_process(under_faketime(
        "+26d", argv_against(server.base_url(), csv, {"--reinvite", "--max-attempts", "1"})));
    CHECK(first.exit_code == 69);
    CHECK(first.err.find("in doubt") != std::string::npos);
    auto s = status_at("+26d", journal);
    CHECK(s["deletes_in_doubt"] == 1);
    CHECK(s["deletes_in_doubt_users"][0]["email"] == "left@x.example.com");
    CHECK(s["deletes_in_doubt_users"][0]["id"] == "U1");
    auto text = run_process({zprov_bin, "status", journal});
    CHECK(text.out.find("Re-invites in doubt: 1") != std::string::npos);
    // The row leaves the sheet; the next run (without --reinvite) asks Zoom: 404/1001, the
    // DELETE acted. Nothing is created (the sheet no longer asks for the user).
    {
        std::ofstream out(csv, std::ios::trunc);
        out << "Email,First Name,Last Name\nother@x.example.com,Bo,Yu\n";
    }
    auto second = run_process(under_faketime("+26d", argv_against(server.base_url(), csv)));
    CHECK_MESSAGE(second.exit_code == 0, second.err);
    s = status_at("+26d", journal);
    CHECK(s["deletes_in_doubt"] == 0);
    CHECK(s["reinvited"] == 1);
    int creates = 0, deletes = 0;
    for (const auto& req : server.requests()) {
        creates += req["method"] == "POST" &&
                   req["body"].get<std::string>().find("left@") != std::string::npos;
        deletes += req["method"] == "DELETE";
    }
    CHECK(creates == 1);
    CHECK(deletes == 1);
}

TEST_CASE("reinvite: a re-create answered 409 whose lookup names the id just deleted (the DELETE "
          "landing late) is not `exists`: zprov waits until Zoom agrees and creates it again" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const json pending_list = {
        {"status", 200},
        {"body",
         {{"users", {{{"email", "late@x.example.com"}, {"status", "pending"}}}},
          {"next_page_token", ""}}}};
    const json pending_user = {
        {"status", 200},
        {"body", {{"id", "U1"}, {"email", "late@x.example.com"}, {"status", "pending"}}}};
    scripted_server server(
        dir,
        {{"routes",
          {{{"method", "POST"},
            {"path", "/v2/users"},
            {"answers",
             {zoom_created("U1"), zoom_error(409, 1005, "User already in the account: late"),
              zoom_created("U2")}}},
           {{"method", "GET"},
            {"path", "/v2/users/U1"},
            {"answers",
             {pending_user, pending_user, zoom_error(404, 1001, "User does not exist: U1.")}}},
           {{"method", "GET"}, {"path", "/v2/users/late"}, {"answers", {pending_user}}},
           {{"method", "GET"}, {"path", "/v2/users"}, {"answers", {pending_list}}},
           {{"method", "DELETE"}, {"path", "/v2/users/U1"}, {"answers", {{{"status", 204}}}}}}}});
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\nlate@x.example.com,Ann,Lee\n");
    REQUIRE(run_against(server.base_url(), csv).exit_code == 0);
    auto r =
        run_process(under_faketime("+26d", argv_against(server.base_url(), csv, {"--reinvite"})));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    int creates = 0, deletes = 0;
    for (const auto& req : server.requests()) {
        creates += req["method"] == "POST";
        deletes += req["method"] == "DELETE";
    }
    CHECK(creates == 3);
    CHECK(deletes == 1);
    auto s = status_at("+26d", csv + ".journal");
    CHECK(s["created"] == 1);
    CHECK(s["exists"] == 0);
    CHECK(s["reinvited"] == 1);
    CHECK(slurp(csv + ".journal").find(R"("id":"U2")") != std::string::npos);
}

TEST_CASE("reinvite: a DELETE Zoom refuses is said without -v and ends the run 69, the summary "
          "counts each request written" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const json pending_list = {
        {"status", 200},
        {"body",
         {{"users", {{{"email", "no@x.example.com"}, {"status", "pending"}}}},
          {"next_page_token", ""}}}};
    const json pending_user = {
        {"status", 200},
        {"body", {{"id", "U1"}, {"email", "no@x.example.com"}, {"status", "pending"}}}};
    scripted_server server(
        dir, {{"routes",
               {{{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("U1")}}},
                {{"method", "GET"},
                 {"path", "/v2/users/U1"},
                 {"answers", {{{"status", 503}, {"body", "busy"}}, pending_user}}},
                {{"method", "GET"}, {"path", "/v2/users"}, {"answers", {pending_list}}},
                {{"method", "DELETE"},
                 {"path", "/v2/users/U1"},
                 {"answers", {zoom_error(400, 300, "Cannot disassociate this user.")}}}}}});
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\nno@x.example.com,Ann,Lee\n");
    REQUIRE(run_against(server.base_url(), csv).exit_code == 0);
    const auto summary = dir.path() + "/summary.json";
    auto r = run_process(under_faketime(
        "+26d", argv_against(server.base_url(), csv, {"--reinvite", "--summary-json", summary})));
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("no@x.example.com: not re-invited: the DELETE was refused") !=
          std::string::npos);
    CHECK(r.err.find("1 stale invitations were not sent again") != std::string::npos);
    // 2 GETs of the user (a 503, then pending) and 1 DELETE: attempts, not calls.
    const auto sent = json::parse(slurp(summary));
    CHECK(sent["requests"] == 3);
    CHECK(sent["this_run"]["reinvites_failed"] == 1);
}

TEST_SUITE_END();
