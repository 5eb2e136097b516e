// zprov against a hostile server and hostile inputs: interim and unsolicited answers,
// tokens that would split a header, terminal escapes in answers, signals and closed pipes,
// secrets in memory and in CSV columns. Asserted on what the server saw and on the journal.
#include "support/scripted_fixture.hpp"
#include "support/sim_fixture.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <sstream>

using namespace zprov::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {
std::vector<json> posts(const scripted_server& server) {
    std::vector<json> out;
    for (const auto& r : server.requests())
        if (r["method"] == "POST" && r["path"] == "/v2/users")
            out.push_back(r);
    return out;
}
// A 201 for user `id` as bytes on the wire, with `before` and `after` around it.
std::string raw_created(const std::string& id) {
    const std::string body =
        R"({"id":")" + id + R"(","first_name":"A","last_name":"B","email":"x","type":1})";
    return "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}
// `zprov report JOURNAL`: email -> Zoom user id of the created rows.
std::map<std::string, std::string> created_ids(const std::string& journal) {
    auto r = run_process({zprov::test::zprov_program(), "report", journal});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::map<std::string, std::string> ids;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream cols(line);
        for (std::string c; std::getline(cols, c, ',');)
            cells.push_back(c);
        if (cells.size() > 2 && cells[1] == "created")
            ids[cells[0]] = cells[2];
    }
    return ids;
}
// "u3": the id the script gives row 3 (built by append: g++ 12 warns falsely on
// "literal" + std::string temporaries).
std::string id_of(int i) {
    std::string id = "u";
    id += std::to_string(i);
    return id;
}
bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}
std::string user(int i, const std::string& tag) {
    return "user" + std::to_string(i) + "@" + tag + ".example.com";
}
} // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("hostile: a 100 Continue before each 201 is skipped and every row gets its own id") {
    temp_dir dir;
    std::vector<json> answers;
    for (int i = 0; i < 4; ++i)
        answers.push_back(
            {{"raw", std::string("HTTP/1.1 100 Continue\r\n\r\n").append(raw_created(id_of(i)))}});
    scripted_server server(dir, script_creates_in_turn(answers));
    auto csv = dir.file("users.csv", users_csv(4, "interim"));
    auto r = run_against(server.base_url(), csv, {"--concurrency", "1"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(posts(server).size() == 4); // one request per row: no answer was taken twice
    auto ids = created_ids(csv + ".journal");
    CHECK(ids.size() == 4);
    for (int i = 0; i < 4; ++i)
        CHECK(ids[user(i, "interim")] == id_of(i));
}

TEST_CASE("hostile: an extra response on a keep-alive connection is never taken for the next "
          "answer: the connection is dropped") {
    for (bool later : {false, true}) {
        CAPTURE(later);
        temp_dir dir;
        json first{{"raw", raw_created("u0") + (later ? "" : raw_created("extra"))}};
        if (later) // after the answer has been read, before the next request
            first["then"] = {{"delay_ms", 100}, {"raw", raw_created("extra")}};
        scripted_server server(
            dir, script_creates_in_turn(
                     {first, {{"raw", raw_created("u1")}}, {{"raw", raw_created("u2")}}}));
        auto csv = dir.file("users.csv", users_csv(3, "extra"));
        auto r = run_against(server.base_url(), csv, {"--concurrency", "1", "--rate", "2"});
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        auto ids = created_ids(csv + ".journal");
        for (int i = 0; i < 3; ++i)
            CHECK(ids[user(i, "extra")] == id_of(i));
        auto sent = posts(server);
        REQUIRE(sent.size() == 3);
        CHECK(sent[1]["connection"] != sent[0]["connection"]);
    }
}

TEST_CASE("hostile: a token or secret with a line break never reaches a header: exit 78") {
    temp_dir dir;
    scripted_server server(dir, script_creates_in_turn({zoom_created("u0")}));
    auto csv = dir.file("users.csv", users_csv(1, "crlf"));
    ::setenv("ZOOM_ACCESS_TOKEN", "good\r\nX-Injected: 1", 1);
    auto r = run_process({zprov::test::zprov_program(), "run", csv, "--base-url", server.base_url(),
                          "--progress", "never"});
    CHECK_MESSAGE(r.exit_code == 78, r.err);
    CHECK(has(r.err, "ZOOM_ACCESS_TOKEN holds control characters"));
    CHECK_FALSE(has(r.err, "X-Injected"));

    ::unsetenv("ZOOM_ACCESS_TOKEN");
    ::setenv("ZOOM_ACCOUNT_ID", "acct", 1);
    ::setenv("ZOOM_CLIENT_ID", "client", 1);
    ::setenv("ZOOM_CLIENT_SECRET", "secret\n", 1);
    r = run_process({zprov::test::zprov_program(), "run", csv, "--base-url", server.base_url(),
                     "--oauth-url", server.base_url() + "/oauth", "--progress", "never"});
    CHECK_MESSAGE(r.exit_code == 78, r.err);
    CHECK(has(r.err, "ZOOM_CLIENT_SECRET holds control characters"));
    for (const char* name : {"ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"})
        ::unsetenv(name);
    CHECK(server.requests().empty());
}

TEST_CASE("hostile: a malformed OAuth answer is a clear error naming the token URL") {
    const std::vector<json> answers{
        {{"access_token", "abc\r\nX-Injected: 1"}, {"expires_in", 3600}},
        {{"access_token", "abc"}, {"expires_in", "3600"}},
        {{"token_type", "bearer"}, {"expires_in", 3600}},
    };
    for (const auto& body : answers) {
        CAPTURE(body.dump());
        temp_dir dir;
        scripted_server server(
            dir,
            {{"routes",
              {{{"method", "POST"}, {"path", "/oauth"}, {"answers", {{{"body", body}}}}},
               {{"method", "POST"}, {"path", "/v2/users"}, {"answers", {zoom_created("u")}}}}}});
        auto csv = dir.file("users.csv", users_csv(1, "oauth"));
        ::unsetenv("ZOOM_ACCESS_TOKEN");
        ::setenv("ZOOM_ACCOUNT_ID", "acct", 1);
        ::setenv("ZOOM_CLIENT_ID", "client", 1);
        ::setenv("ZOOM_CLIENT_SECRET", "secret", 1);
        const auto token_url = server.base_url().substr(0, server.base_url().size() - 3) + "/oauth";
        auto r = run_process({zprov::test::zprov_program(), "run", csv, "--base-url",
                              server.base_url(), "--oauth-url", token_url, "--progress", "never"});
        for (const char* name : {"ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"})
            ::unsetenv(name);
        CHECK_MESSAGE(r.exit_code == 69, r.err);
        CHECK(has(r.err, "the OAuth answer from " + token_url + " is malformed"));
        CHECK_FALSE(has(r.err, "internal error"));
        CHECK(posts(server).empty());
    }
}

TEST_CASE("hostile: terminal escapes in a 503 body are shown as text, never sent raw") {
    temp_dir dir;
    scripted_server server(dir, script_creates_in_turn({zoom_error(
                                    503, 0, "\x1b]0;owned\x07\x1b[2Jdown\r\nzprov: all done")}));
    auto csv = dir.file("users.csv", users_csv(3, "escape"));
    auto r = run_against(server.base_url(), csv,
                         {"--concurrency", "1", "--max-attempts", "1", "-v", "--trace"});
    CHECK_MESSAGE(r.exit_code == 69, r.err);
    CHECK(has(r.err, "\\x1b]0;owned\\x07"));
    CHECK_FALSE(has(r.err, "\x1b"));
    CHECK_FALSE(has(r.err, "\x07"));
    CHECK_FALSE(has(r.err, "\r"));
}

TEST_CASE("hostile: report on a terminal shows CSV cells' escapes as text, to a file as is") {
    temp_dir dir;
    scripted_server server(dir, script_creates_in_turn({zoom_created("u")}));
    auto csv = dir.file("users.csv", "Email,First Name,Last Name\n"
                                     "not-an-address,\x1b]0;owned\x07,Lee\n");
    auto r = run_against(server.base_url(), csv);
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    CHECK_FALSE(has(r.err, "\x1b"));
    const auto journal = csv + ".journal";
    auto on_terminal =
        run_process({"/usr/bin/python3", "-c", "import pty, sys; pty.spawn(sys.argv[1:])",
                     zprov::test::zprov_program(), "report", journal, "--failed-only"});
    CHECK_MESSAGE(on_terminal.exit_code == 0, on_terminal.err);
    CHECK(has(on_terminal.out, "\\x1b]0;owned\\x07"));
    CHECK_FALSE(has(on_terminal.out, "\x1b"));
    auto to_file = dir.path() + "/fix.csv";
    r = run_process(
        {zprov::test::zprov_program(), "report", journal, "--failed-only", "-o", to_file});
    CHECK(has(slurp(to_file), "\x1b]0;owned\x07")); // the data itself is kept
}

TEST_SUITE_END();
