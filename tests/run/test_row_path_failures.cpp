// The row path in process (row_path_fixture.hpp): 5xx answers and lost ones, connections that
// cannot be opened, and a stop while a row waits to be sent again.
#include "zprov/run/row_sender.hpp"

#include "support/row_path_fixture.hpp"

#include <doctest/doctest.h>

using namespace zprov;
using namespace zprov::test;
using namespace std::chrono_literals;

namespace {
const std::string users = "/v2/users";
using fault = scripted_answer::fault;

scripted_answer busy() {
    return answer(503, {{"message", "Service unavailable"}});
}
} // namespace

TEST_CASE("row path: a 5xx is backed off and sent again, the row is created") {
    row_path f;
    f.zoom.on("POST", users, {busy(), busy(), user_created("id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK(row.last == outcome::created);
    CHECK(row.attempts == 3); // each request had its intent
    CHECK(f.said_that("HTTP 503: Service unavailable; retrying"));
}

TEST_CASE("row path: a 5xx at every attempt: failed after --max-attempts, sent again next run") {
    row_path f({.max_attempts = 4});
    f.zoom.on("POST", users, {busy()});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.zoom.requests("POST", users).size() == 4);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::failed);
    CHECK(f.journal_text().find("HTTP 503: Service unavailable") != std::string::npos);
    CHECK(f.tally.consecutive_failed == 1);
    CHECK_FALSE(f.stop.stopping());
}

TEST_CASE("row path: the backoff grows between attempts and stays under its cap") {
    row_path f({.max_attempts = 4, .backoff_cap = 30ms});
    f.zoom.on("POST", users, {busy()});
    auto item = f.row("ada@example.com");
    const auto started = std::chrono::steady_clock::now();
    f.send(item);
    // Three waits, each at most the cap, with the journal's flushes around them.
    CHECK(std::chrono::steady_clock::now() - started < 3 * 30ms + 2s);
    CHECK(f.zoom.requests("POST", users).size() == 4);
}

TEST_CASE("row path: three rows failing in a row mean Zoom is unreachable: stop 69") {
    row_path f({.max_attempts = 1});
    f.zoom.on("POST", users, {busy()});
    for (const auto* email : {"a@example.com", "b@example.com", "c@example.com"}) {
        auto item = f.row(email);
        f.send(item);
    }
    CHECK(f.tally.count.failed == 3);
    CHECK(f.stop.code() == exit_code::unavailable);
    CHECK(f.stop.message().find("Zoom unreachable or failing: HTTP 503") != std::string::npos);
}

TEST_CASE("row path: a lost answer may have acted: the row is in doubt, then sent again") {
    row_path f;
    f.zoom.on("POST", users, {failing(fault::lost), user_created("id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(item.doubt_since.has_value()); // a 409 now would be this request's user
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK(row.last == outcome::created);
    CHECK(row.attempts == 2);
}

TEST_CASE("row path: answers lost at every attempt leave the row failed, never rejected") {
    row_path f;
    f.zoom.on("POST", users, {failing(fault::lost)});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::failed);
    CHECK(f.zoom.requests("POST", users).size() == 3);
}

TEST_CASE("row path: a connection that cannot be opened sends nothing and journals no intent") {
    row_path f;
    f.zoom.fail_opens({fault::unreachable, fault::unreachable});
    f.zoom.on("POST", users, {user_created("id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK(row.last == outcome::created);
    CHECK(row.attempts == 1); // the failed opens came before any intent
    CHECK(f.zoom.requests("POST", users).size() == 1);
}

TEST_CASE("row path: a refused certificate stops the run at once (69), nothing is sent") {
    row_path f;
    f.zoom.fail_opens({fault::certificate});
    f.zoom.on("POST", users, {user_created("id-1")});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.zoom.requests().empty());
    CHECK(f.stop.code() == exit_code::unavailable);
    CHECK(f.stop.message().find("certificate") != std::string::npos);
    CHECK(f.journal().rows.find("ada@example.com") == f.journal().rows.end());
}

TEST_CASE("row path: a proxy refusing our credentials stops the run (77), the intent settled") {
    row_path f;
    // Open, then the connection is found closed and reopened through the proxy, which
    // refuses: after the intent, before anything is written.
    f.zoom.on("POST", users, {failing(fault::proxy)});
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.stop.code() == exit_code::no_permission);
    CHECK(f.stop.message().find("407") != std::string::npos);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK_FALSE(row.open_intent);
    CHECK_FALSE(row.last.has_value());
}

TEST_CASE("row path: a stop while a row backs off ends the wait at once: failed, interrupted") {
    row_path f({.backoff_cap = 10s});
    f.zoom.on("POST", users, [&](const seen_request&) {
        f.stop.interrupt("interrupted"); // a signal while the request is in flight
        return busy();
    });
    auto item = f.row("ada@example.com");
    const auto started = std::chrono::steady_clock::now();
    f.send(item);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(f.journal().rows.at("ada@example.com").last == outcome::failed);
    CHECK(f.journal_text().find("interrupted after: HTTP 503") != std::string::npos);
    CHECK(f.zoom.requests("POST", users).size() == 1);
}

TEST_CASE("row path: a halt leaves the request in flight in doubt: nothing more is written") {
    row_path f;
    f.zoom.on("POST", users, [&](const seen_request&) {
        f.stop.halt("interrupted"); // a second signal while the request is in flight
        return failing(fault::lost);
    });
    auto item = f.row("ada@example.com");
    CHECK_THROWS_AS(f.send(item), boost::system::system_error);
    const auto& row = f.journal().rows.at("ada@example.com");
    CHECK(row.open_intent);
    CHECK_FALSE(row.last.has_value());
}

TEST_CASE("row path: with the run interrupted a row waiting to be sent is not sent") {
    row_path f;
    f.zoom.on("POST", users, {user_created("id-1")});
    f.stop.interrupt("interrupted");
    auto item = f.row("ada@example.com");
    f.send(item);
    CHECK(f.zoom.requests().empty());
    CHECK(f.journal().rows.find("ada@example.com") == f.journal().rows.end());
}
