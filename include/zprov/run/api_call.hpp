// One call to Zoom's API beyond the create (GET /groups, PATCH /users/{id}) until Zoom answers
// it for good: a turn of the call's pacer before each send, a refused token refreshed, per-
// second 429s and failures (5xx, network) retried with backoff, each bounded. Never throws
// for network trouble: the result says what happened; throws what the token holder throws.
#pragma once

#include "zprov/http_session.hpp"
#include "zprov/run/retry_policy.hpp"
#include "zprov/run/run_state.hpp"
#include "zprov/send_pacer.hpp"
#include "zprov/zoom_answer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <random>
#include <string>

namespace zprov {

class token_holder;

struct api_caller {
    boost::asio::any_io_executor executor;
    http_session& session;
    token_holder& tokens;
    send_pacer& pacer; // the pacer of the call's rate-limit category
    retry_limits retry;
    stop_state& stop;                              // gives up when it abandons waiting
    std::function<void(const std::string&)> trace; // may be empty: --trace output
    std::mt19937_64& rng;
};

struct api_result {
    enum class kind {
        done,    // a 2xx answer: `reply` holds it
        refused, // Zoom answered for good with an error: `answer` says which
        failed,  // no answer that settles it (failures, 429s, the run stopped)
    };
    kind what = kind::failed;
    http_reply reply; // the answer, when there was one (done or refused)
    zoom_answer answer;
    verdict said = verdict::retry; // the verdict on `answer` when refused
    bool sent = false;             // some request may have reached Zoom
    std::string problem;           // "HTTP 404: ..." or the transport's error
    bool repeats = false;          // the answer was too large: the same call gets it again
};

// Zoom's 404/1001 to a call about a user: the user is not (or no longer) in the account.
bool user_gone(const api_result& r);

// One page of a Zoom list: `path_and_query` with page_size and, after the first page, the
// next_page_token Zoom sent (`next`, percent-encoded here).
std::string page_target(const std::string& path_and_query, int page_size, const std::string& next);

// Sends `request` (its authorization is filled in with the current token).
boost::asio::awaitable<api_result> call_api(api_caller& caller, http_call request);

} // namespace zprov
