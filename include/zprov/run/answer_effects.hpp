// What each of Zoom's answers to a create tells the run besides the row's outcome: the
// pacer's rate and the run's count of per-second 429s, and, on a 201, Zoom's own count of the
// day's creates (its quota headers), which other apps on the account share.
#pragma once

#include "zprov/run/contexts.hpp"
#include "zprov/run/zoom_answer.hpp"

#include <chrono>

namespace zprov {

class send_pacer;

// Every answer: an accepted one feeds the pacer; a per-second 429 slows it, and 30 of them
// in a row at its slowest rate with none accepted stop the run (exit 75): another app is
// using the account's whole limit. `sent_at` is when the request was written.
void note_answer(row_context& ctx, send_pacer& pacer, verdict what, const zoom_answer& answer,
                 std::chrono::steady_clock::time_point sent_at);

// A 201's X-RateLimit-Remaining and X-RateLimit-Limit: the day's budget follows Zoom's
// figure, and a limit of another plan than --plan is said once.
void note_quota(row_context& ctx, const zoom_answer& created);

} // namespace zprov
