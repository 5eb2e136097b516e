#include "support/row_path_fixture.hpp"

#include "zprov/base/text.hpp"
#include "zprov/run/row_sender.hpp"

namespace zprov::test {

namespace {
using namespace std::chrono_literals;

// Far above any plan's limit: the pacer never makes a case wait, and after a per-second 429
// its slowest rate is still a request a millisecond.
constexpr double unit_rate = 100'000;

credentials credentials_for(const row_path_options& o) {
    credentials c;
    if (o.oauth) {
        c.account_id = "acct";
        c.client_id = "client";
        c.client_secret = "secret-for-tests-only";
    } else {
        c.access_token = "static-token";
    }
    return c;
}
} // namespace

row_path::row_path(const row_path_options& chosen)
    : options(chosen), api(parse_endpoint("https://api.zoom.test/v2", "--base-url")),
      oauth(parse_endpoint("https://zoom.test/oauth/token", "--oauth-url")),
      writer(
          dir.path() + "/users.csv.journal", [](const std::string&) {}, chosen.account),
      records(writer, chosen.action, /*buffered=*/true), syncer(io.get_executor(), writer.file()),
      tokens(io.get_executor(), zoom, oauth, credentials_for(chosen), [](const std::string&) {}),
      pacers(plan::pro, unit_rate, std::chrono::steady_clock::now()),
      requests{.api = api,
               .account = chosen.account,
               .tokens = tokens,
               .pacers = pacers,
               .retry = {.max_attempts = chosen.max_attempts,
                         .refreshes_per_row = 2,
                         .rate_limited_per_row = 10,
                         .backoff_base = 1ms,
                         .backoff_cap = chosen.backoff_cap},
               .stop = stop,
               .log = {.say = [this](const std::string& line) { said.push_back(line); },
                       .waiting = {},
                       .verbose = true,
                       .trace = true},
               .sending = [this](rate_category c) { records.call_sent(c); }},
      day{.limits = {plan::pro, chosen.action, unit_rate, chosen.daily_cap}},
      context{.requests = requests,
              .journal = records,
              .syncer = syncer,
              .day = day,
              .tally = tally,
              .options = {.action = chosen.action,
                          .body = body_format::json,
                          .wait = chosen.wait,
                          .update_existing = chosen.update_existing}} {
    zoom.on("POST", "/oauth/token", [n = 0](const seen_request&) mutable {
        return answer(200, {{"access_token", "oauth-token-" + std::to_string(++n)},
                            {"expires_in", 3600},
                            {"scope", "user:write:admin user:read:admin group:read:admin"}});
    });
}

work_item row_path::row(const std::string& email, int type) const {
    work_item item;
    item.user.email = email;
    item.user.first_name = "Ada";
    item.user.last_name = "Lovelace";
    item.user.type = type;
    item.line = 2;
    item.key = email_key(email);
    item.cells = {email, "Ada", "Lovelace"};
    return item;
}

void row_path::created_before(work_item& item, const std::string& id) {
    zoom_answer created;
    created.status = 201;
    created.user_id = id;
    records.intent(item, 1);
    records.outcome(item, outcome::created, 1, &created, "");
}

void row_path::send(work_item& item) {
    auto connection = zoom.connect(api);
    run(send_row(context, *connection, item));
}

void row_path::run(net::awaitable<void> work) {
    std::exception_ptr failure;
    io.restart();
    net::co_spawn(io, std::move(work), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure)
        std::rethrow_exception(failure);
}

std::string row_path::journal_text() const {
    return slurp(writer.path());
}

bool row_path::said_that(const std::string& part) const {
    for (const auto& line : said)
        if (line.find(part) != std::string::npos)
            return true;
    return false;
}

} // namespace zprov::test
