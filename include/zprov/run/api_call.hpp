// The one request path: every call to Zoom's API (a create, a lookup, a PATCH, a DELETE, a page
// of a list) is sent by send_once (open the connection, take the pacer's turn of the call's
// rate-limit category, take the token, write, read, judge the answer) and retried by
// call_zoom as the retry policy (run/retry_policy) decides: a refused token refreshed, per-
// second 429s waited out (Retry-After), failures backed off, each bounded. A create adds its
// journal and budget steps around each try (call_steps). Never throws for network trouble
// or Zoom's refusals: the result says what happened; throws what the token holder and the
// steps throw (fatal_error), and operation_aborted when the run halts.
#pragma once

#include "zprov/net/transport.hpp"
#include "zprov/run/contexts.hpp"
#include "zprov/run/retry_policy.hpp"
#include "zprov/run/zoom_answer.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace zprov {

struct zoom_request {
    std::string method{};       // "POST"
    std::string path{};         // under the API's base path, query included: "/users/{id}?..."
    std::string content_type{}; // empty: no body
    std::string body{};
    std::string shown_body{}; // the body as --trace shows it, if not as sent (a password hidden)
    call_kind kind = call_kind::other;
    std::size_t answer_limit = default_answer_limit; // the most bytes of the answer read
};

// One try of a call.
struct zoom_try {
    call_result result{};                // what the connection said; the answer when ok()
    std::optional<zoom_answer> answer{}; // Zoom's answer, read
    verdict what = verdict::retry;       // what it means (judge)
    std::string problem{};               // "HTTP 503: ..." or the connection's error
    std::string token{};                 // the token it was sent with
    bool deferred = false;               // before_turn held it back: nothing was sent
    bool abandoned = false;              // the run gave up before it was written
};

// What a call adds around each of its tries: a create checks the pause and the seats, takes
// the day's budget and journals its intent, and records what the answer tells the run.
// Other calls add nothing.
class call_steps {
public:
    virtual ~call_steps() = default;
    // Before each try: false when the call is not to be sent now (a pause, no seats).
    virtual boost::asio::awaitable<bool> before_try();
    // With the connection open, before the pacer's turn: false defers the try (nothing is
    // sent; the call goes around again).
    virtual boost::asio::awaitable<bool> before_turn();
    // With the turn granted, just before the request is written: false when it is no longer
    // to be sent (the run paused meanwhile: a daily 429); the turn is given back and the try
    // deferred, as by before_turn.
    virtual bool after_turn();
    // After each try before_turn let through, with the decision on it (null when the try was
    // abandoned before it was written).
    virtual void after_try(const zoom_try& done, const decision* next);
};

// The steps of a call other than a create: each request written is counted in `written`
// (the run counts attempts, not calls). With `once`, the call is not written again after a
// try that may have acted (no answer, a 429, a 5xx: anything but a refused token); a DELETE
// is, since its next try could meet a user who changed meanwhile.
class counted_steps final : public call_steps {
public:
    counted_steps(std::int64_t& written, bool once) : written_(written), once_(once) {}
    bool may_have_acted() const { return may_have_acted_; }

    boost::asio::awaitable<bool> before_try() override;
    void after_try(const zoom_try& done, const decision* next) override;

private:
    std::int64_t& written_;
    bool once_;
    bool may_have_acted_ = false;
};

// How a call ended.
struct call_end {
    zoom_try last{}; // the last try
    // The policy's final decision; std::nullopt when the call was not sent to the end (the
    // steps held it back, or the run stopped while it waited).
    std::optional<decision> said{};
    bool sent = false; // some request of the call may have reached Zoom

    // Zoom did what was asked (a 2xx; for a create, see said->record).
    bool done() const { return said && last.what == verdict::done; }
    // Zoom answered for good, yes or no; otherwise the call failed (no answer that settles).
    bool answered() const;
    // Zoom's 404/1001: the user is not (or no longer) in the account.
    bool user_gone() const;
    // The answer was longer than the call allows: the same call would get it again.
    bool repeats() const { return said && last.what == verdict::answer_too_large; }
};

// Sends `request` once through `connection`, on its category's pacer.
boost::asio::awaitable<zoom_try> send_once(request_context& ctx, connection& connection,
                                           const zoom_request& request, call_steps& steps);

// The one retry loop: sends `request` until the policy settles it, `steps` hold it back or the
// run stops. A create's waits end when the run stops; another call's when the run abandons
// waiting (at the daily cap, the steps after earlier creates go on).
boost::asio::awaitable<call_end> call_zoom(request_context& ctx, connection& connection,
                                           const zoom_request& request, row_attempts& attempts,
                                           call_steps& steps);
// ... a call with no steps of its own and attempts of its own.
boost::asio::awaitable<call_end> call_zoom(request_context& ctx, connection& connection,
                                           const zoom_request& request);

// One page of a Zoom list: `path_and_query` with page_size and, after the first page, the
// next_page_token Zoom sent (`next`, percent-encoded here).
std::string page_target(const std::string& path_and_query, int page_size, const std::string& next);

} // namespace zprov
