// The records one run writes to its journal: run start and end, each request's intent and
// what became of it, invalid rows, pauses. Each append is flushed to disk before it returns
// (see journal_writer), unless the journal is `buffered`: then a record is only written,
// and the caller waits for a flush that covers written() (journal_syncer) before it acts
// on it. The start and end of a run are always flushed. I/O errors throw fatal_error.
#pragma once

#include "zprov/journal/writer.hpp"
#include "zprov/run/config.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/run/run_state.hpp"
#include "zprov/run/zoom_answer.hpp"
#include "zprov/sheet/user_sheet.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zprov {

class run_journal {
public:
    run_journal(journal_writer& writer, create_action action, bool buffered = false);

    const journal_summary& summary() const { return writer_.summary(); }
    const std::string& path() const { return writer_.path(); }
    // The journal's size after the last record appended.
    std::uint64_t written() const { return writer_.file().size(); }

    void run_started(const std::string& csv, const send_limits& limits,
                     const std::vector<std::string>& header);
    void run_ended(exit_code code, const nlohmann::json& summary);

    // Before a request is sent; sets item.intent_day (the day its quota is counted on).
    void intent(work_item& item, int attempt);
    // Right before a request other than a create is sent: its rate-limit category, for the
    // next run's pacer (a create's intent serves).
    void call_sent(rate_category category);
    // The request of the open intent had no effect (HTTP 0: it was never sent).
    void settled(const work_item& item, int status, const std::string& why);
    // `zoom_status`: Zoom's status of the user, when the row was looked up after a 409. A
    // created row with a group or a profile also records the steps it owes: the profile is
    // deferred for users made with `create` (pending until they accept).
    void outcome(const work_item& item, zprov::outcome what, int attempts,
                 const zoom_answer* answer, const std::string& message,
                 const std::string& zoom_status = {});
    // The steps after the create (step_record): before PATCH /users/{id} (`user_id`), and its
    // outcome (done, or failed: the next run sends it again). A done step records the digests
    // of what it set (group_digest, profile_digest).
    void step_intent(const work_item& item, const std::string& user_id, bool group, bool profile);
    void step_outcome(const work_item& item, step_phase phase, bool group, bool profile, int http,
                      std::optional<int> code, const std::string& message);
    // What Zoom says of a user this journal created or found (seen_record).
    void seen(const std::string& key, const std::string& user_id, zoom_state status);
    // A re-invite's DELETE of the user `user_id` (reinvite_record): its intent, then what
    // became of it.
    void reinvite(const std::string& key, const std::string& user_id, reinvite_phase phase,
                  int http = 0, std::optional<int> code = std::nullopt,
                  const std::string& message = {});
    // An invalid row, unless the journal already says so (a nightly rerun adds nothing).
    void invalid(const sheet_row& row, const std::vector<std::string>& cells);

    // Records a pause until `until`, unless one at least as long is on record; says which.
    bool pause(sys_seconds until, const std::string& reason);
    void resume();
    // A webhook (by webhook_key) was told of the problems with `fingerprint`, or that they
    // cleared (flushed at once: it is written after the run's end).
    void notified(const std::string& webhook, bool cleared, const std::string& fingerprint);

private:
    void put(const journal_record& r);

    journal_writer& writer_;
    create_action action_;
    bool buffered_;
};

// The journal identity of an invalid row: its email, or "#line N" when it has none or
// repeats an earlier row's (so that the first row's record is not overwritten).
std::string invalid_row_key(const sheet_row& row);
// "field: reason; field: reason".
std::string describe_errors(const sheet_row& row);

} // namespace zprov
