// The row path in process: a journal in a temp directory, the run's contexts built as the run
// builds them, and a scripted transport (scripted_transport.hpp) in place of the network.
// Waits are short (a backoff of a few milliseconds, a pacer far above any plan's rate) so
// that a case runs in milliseconds; nothing else differs from a run.
#pragma once

#include "support/process.hpp"
#include "support/scripted_transport.hpp"

#include "zprov/net/asio.hpp"
#include "zprov/net/token.hpp"
#include "zprov/run/contexts.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/run_journal.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace zprov::test {

struct row_path_options {
    create_action action = create_action::create;
    std::int64_t daily_cap = 1500;
    bool oauth = false; // Server-to-Server OAuth (tokens from the script) instead of a static one
    std::string account{}; // --account-id
    int max_attempts = 3;
    std::chrono::milliseconds backoff_cap{20};
    bool update_existing = false;
    bool wait = false;
};

struct row_path {
    explicit row_path(const row_path_options& chosen = {});

    // A valid row of the sheet: `email`, Basic unless `type` says otherwise.
    work_item row(const std::string& email, int type = 1) const;
    // What an earlier run left: `item` created as Zoom's user `id` (pending for action create).
    void created_before(work_item& item, const std::string& id);
    // Sends `item` as a worker does, to its end.
    void send(work_item& item);
    // Runs `work` to its end on the run's I/O context; rethrows what it throws.
    template <class T>
    T run(net::awaitable<T> work);
    void run(net::awaitable<void> work);

    const journal_summary& journal() const { return records.summary(); }
    // The journal's records as written (JSON Lines).
    std::string journal_text() const;
    // Whether a line the run said holds `part`.
    bool said_that(const std::string& part) const;

    // In the order they are built: the contexts refer to what comes before them.
    row_path_options options;
    net::io_context io;
    temp_dir dir;
    scripted_transport zoom;
    endpoint api, oauth;
    journal_writer writer;
    run_journal records;
    journal_syncer syncer;
    token_holder tokens;
    pacer_set pacers;
    stop_state stop;
    std::vector<std::string> said; // what the run said (verbose and trace too)
    request_context requests;
    run_tally tally;
    day_budget day;
    row_context context;
};

template <class T>
T row_path::run(net::awaitable<T> work) {
    std::optional<T> result;
    std::exception_ptr failure;
    io.restart();
    net::co_spawn(io, std::move(work), [&](std::exception_ptr e, T value) {
        failure = e;
        if (!e)
            result = std::move(value);
    });
    io.run();
    if (failure)
        std::rethrow_exception(failure);
    return std::move(*result);
}

} // namespace zprov::test
