// `zprov run`, top to bottom: open the journal, stream the sheet to N workers (each owning
// one connection), pace, send, record, finish. Each stage is its own module in run/.
#include "zprov/run/import.hpp"

#include "zprov/base/clock.hpp"
#include "zprov/base/text.hpp"
#include "zprov/journal/invitations.hpp"
#include "zprov/journal/writer.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/proxy.hpp"
#include "zprov/net/session.hpp"
#include "zprov/net/token.hpp"
#include "zprov/run/account_lock.hpp"
#include "zprov/run/account_problems.hpp"
#include "zprov/run/dry_run.hpp"
#include "zprov/run/dry_run_reads.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/notices.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/progress.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/row_source.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/run_summary.hpp"
#include "zprov/run/shutdown.hpp"
#include "zprov/run/steps/activations.hpp"
#include "zprov/run/steps/groups.hpp"
#include "zprov/run/worker_gate.hpp"
#include "zprov/run/worker_sizer.hpp"
#include "zprov/sheet/user_sheet.hpp"
#include "zprov/zoom/api.hpp"

#include <iostream>
#include <unistd.h>

namespace zprov {

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr int token_refreshes_per_row = 2;
// Before any round trip is measured, each request is taken to keep its worker this long.
constexpr auto first_busy_guess = 100ms;

bool live_progress(const run_config& config) {
    // auto: a live line on a terminal, a plain line every few seconds otherwise.
    const auto mode = config.progress;
    // A JSON log has no live line: its periodic lines are events.
    if (config.json_log)
        return false;
    return mode == progress_mode::always ||
           (mode == progress_mode::automatic && ::isatty(STDERR_FILENO) != 0);
}

class importer {
public:
    importer(net::io_context& io, const import_options& options)
        : io_(io), options_(options), limits_(options.config.limits),
          api_(route_through_proxy(parse_endpoint(options.config.base_url, "--base-url"),
                                   options.config.proxy)),
          oauth_(route_through_proxy(parse_endpoint(options.config.oauth_url, "--oauth-url"),
                                     options.config.proxy)),
          journal_path_(options.config.journal),
          pacers_(limits_.plan_id, limits_.rate, steady::now()),
          sizer_(options.config.concurrency, first_busy_guess),
          gate_(sizer_, pacers_.of(rate_category::light), stop_),
          progress_(live_progress(options.config), tally_.count, limits_.rate),
          shutdown_(io.get_executor()) {}

    exit_code run();

private:
    user_sheet open_sheet() const;
    void open_journal();
    void count_last_run();
    net::awaitable<void> run_until_done();
    net::awaitable<void> pipeline();
    net::awaitable<void> work(row_source& rows, int number);
    net::awaitable<void> show_progress();
    void note_failure(std::exception_ptr e);
    run_calls calls_of_run() const;
    exit_code finish();
    std::function<void(const std::string&)> say();
    std::function<void(const std::string&)> verbose_log();

    net::io_context& io_;
    const import_options& options_;
    send_limits limits_;
    endpoint api_, oauth_;
    std::string journal_path_;
    pacer_set pacers_;
    worker_sizer sizer_;
    run_tally tally_;
    stop_state stop_;
    worker_gate gate_; // which workers work now
    progress_display progress_;
    run_shutdown shutdown_; // catches the signals for the whole run

    std::unique_ptr<journal_writer> writer_;
    std::unique_ptr<run_journal> journal_;
    std::unique_ptr<journal_syncer> syncer_; // flushes off the I/O thread
    std::unique_ptr<user_sheet> sheet_;
    std::unique_ptr<network_transport> network_; // every connection of the run
    std::unique_ptr<token_holder> tokens_;
    std::unique_ptr<account_lock> account_;
    std::optional<request_context> requests_;
    day_budget day_{.limits = limits_};
    std::optional<row_context> rows_;
    std::int64_t total_ = -1; // rows to send this run (-1: unknown, standard input)
    steady::time_point started_ = steady::now();
};

exit_code importer::run() {
    if (journal_path_.empty())
        throw fatal_error(exit_code::usage,
                          "reading the CSV from standard input needs --journal FILE");
    if (options_.config.dry_run) {
        auto sheet = open_sheet();
        for (const auto& notice : sheet.notices())
            std::cerr << sheet.name() << ": " << notice << "\n";
        const auto& c = options_.config;
        const auto reads = dry_run_reads(sheet, journal_path_, c.reinvite,
                                         {.api = api_,
                                          .oauth = oauth_,
                                          .ca_file = c.ca_file,
                                          .account_id = c.account_id,
                                          .plan_id = limits_.plan_id,
                                          .light_rate = limits_.rate,
                                          .trace = options_.trace});
        return dry_run(sheet, journal_path_, limits_, c.retry_failed, verbose_log(), reads.view(),
                       {nullptr, c.reinvite, c.max_reinvites, c.stale_after, now_utc()});
    }
    auto creds = credentials_from_environment();
    forget_credentials_environment();
    account_ = std::make_unique<account_lock>(
        options_.config.account_id.empty() ? creds.account_id : options_.config.account_id,
        api_.host_header, journal_path_);
    network_ = std::make_unique<network_transport>(io_.get_executor(),
                                                   make_tls_context(options_.config.ca_file));
    open_journal();
    count_last_run();
    sheet_ = std::make_unique<user_sheet>(open_sheet());
    for (const auto& notice : sheet_->notices())
        std::cerr << sheet_->name() << ": " << notice << "\n";
    // The progress total needs a second pass: only a regular file can be read twice (a
    // pipe such as `<(cat users.csv)` would be empty the second time).
    if (csv_source::rereadable(options_.csv)) {
        auto counting = open_sheet();
        total_ = count_pending(counting, journal_->summary(), options_.config.retry_failed);
    }
    progress_.set_total(total_);
    journal_->run_started(options_.csv, limits_, sheet_->header());
    announce_run(options_.csv, journal_path_, limits_, total_);

    tokens_ = std::make_unique<token_holder>(io_.get_executor(), *network_, oauth_, creds,
                                             [this](const std::string& m) {
                                                 if (options_.verbose)
                                                     progress_.log(m);
                                             });
    requests_.emplace(request_context{
        .api = api_,
        .account = options_.config.account_id,
        .tokens = *tokens_,
        .pacers = pacers_,
        .retry = {.max_attempts = options_.config.max_attempts,
                  .refreshes_per_row = token_refreshes_per_row},
        .stop = stop_,
        .log = {.say = say(),
                .waiting =
                    [this](std::optional<sys_seconds> until) { progress_.set_waiting(until); },
                .verbose = options_.verbose,
                .trace = options_.trace},
        .workers = &sizer_,
        .sending = [this](rate_category c) { journal_->call_sent(c); }});
    rows_.emplace(row_context{.requests = *requests_,
                              .journal = *journal_,
                              .syncer = *syncer_,
                              .day = day_,
                              .tally = tally_,
                              .options = {.action = limits_.action,
                                          .body = options_.config.body,
                                          .wait = options_.config.wait,
                                          .update_existing = options_.config.update_existing}});

    net::co_spawn(io_, run_until_done(), [this](std::exception_ptr e) { note_failure(e); });
    io_.run();
    return finish();
}

// The pipeline, the shutdown and the progress line race: the first to end cancels the
// others. That is the pipeline when the run is done, or the shutdown when it halts the run:
// the pipeline is then cancelled where it is, its requests in flight too.
net::awaitable<void> importer::run_until_done() {
    std::vector<net::awaitable<void>> racing;
    racing.push_back(pipeline());
    racing.push_back(shutdown_.run(stop_, say()));
    if (options_.config.progress != progress_mode::never)
        racing.push_back(show_progress());
    co_await first_to_end(std::move(racing));
}

net::awaitable<void> importer::pipeline() {
    // One import per account at a time (run/account_lock).
    if (!co_await take_account(*account_, stop_, options_.config.wait_for_account,
                               pacers_.of(rate_category::light), say()))
        co_return;
    // Credentials are checked before any row is sent.
    if (!co_await token_unless_abandoned(*requests_))
        co_return;
    // Every call the run may make is checked against the token's scopes before any request.
    const bool sub_account = !options_.config.account_id.empty();
    if (const auto& scopes = tokens_->scopes()) {
        if (!can_create_users(*scopes, sub_account))
            throw fatal_error(exit_code::no_permission, create_scope_missing(*scopes, sub_account));
        const auto missing = missing_scopes(*scopes, operations_of(calls_of_run()), sub_account);
        if (!missing.empty())
            throw fatal_error(exit_code::no_permission,
                              scopes_missing_message(*scopes, missing, sub_account));
    }
    if (const auto* pause = journal_->summary().active_pause(now_utc());
        pause && options_.config.clear_pause) {
        progress_.log("Clearing the pause recorded until " + iso8601(pause->until) + " (" +
                      pause->reason + ")");
        journal_->resume();
    }
    // At the daily cap the run stops creating, not the steps after earlier creates (group,
    // profile, activation checks): only another stop ends it here.
    if (total_ != 0) {
        const bool sending = co_await hold_for_pause(*rows_); // named: g++ 12, see api_call
        if (!sending && stop_.abandons_waiting())
            co_return;
    }
    // The account's groups, when the sheet names groups: read once, before any row.
    const auto groups = co_await groups_for(*sheet_, *requests_, *network_);
    // Users made pending by earlier runs that have accepted since: their profiles are owed.
    const auto pending = co_await check_activations(*requests_, *network_, *journal_, *syncer_);
    row_source rows(*sheet_, journal_->summary(), options_.config.retry_failed, tally_.count,
                    journal_.get(), verbose_log());
    rows.check_groups(groups ? &*groups : nullptr);
    rows.update_existing(options_.config.update_existing);
    const auto& c = options_.config;
    rows.reinvites(
        {pending ? &*pending : nullptr, c.reinvite, c.max_reinvites, c.stale_after, now_utc()});
    // Up to --concurrency workers pull rows one at a time: the sheet streams, and a row is
    // read only when a worker is free to send it. As many work as the rate needs over the
    // round trips measured (run/worker_sizer); the others wait, their connections unopened
    // (run/worker_gate).
    const int workers = options_.config.concurrency;
    gate_.open();
    const auto reinvited_before = journal_->summary().reinvited;
    auto failures =
        co_await run_workers(io_.get_executor(), workers, [&](int i) { return work(rows, i); });
    if (const auto n = journal_->summary().reinvited - reinvited_before; n > 0)
        progress_.log(std::to_string(n) + " stale invitations sent again (users deleted and "
                                          "created anew)");
    for (auto& failure : failures)
        note_failure(failure);
    if (tally_.seats.any()) // the other rows are done: the run still ends refused (77)
        stop_.request(exit_code::no_permission, tally_.seats.message());
}

net::awaitable<void> importer::work(row_source& rows, int number) {
    auto session = network_->connect(api_);
    // Paused at the daily cap (a stop that does not abandon waiting): the rows' steps after
    // earlier creates still go out; their creates wait for the next run.
    try {
        while (!stop_.abandons_waiting() && !gate_.rows_done()) {
            if (!co_await gate_.turn(number, session.get()))
                continue;
            auto item = rows.next();
            if (!item) {
                gate_.rows_ran_out();
                break;
            }
            if (stop_.stopping() && !item->steps_only)
                continue;
            co_await send_row(*rows_, *session, *item);
        }
    } catch (...) {
        gate_.worker_lost();
        throw;
    }
    co_await session->close();
}

exit_code importer::finish() {
    progress_.clear();
    const run_end end{tally_.count,
                      stop_.reason(),
                      journal_->summary(),
                      options_.csv,
                      journal_path_,
                      options_.command_line.empty() ? "zprov run " + shell_quote(options_.csv) +
                                                          " --journal " + shell_quote(journal_path_)
                                                    : options_.command_line,
                      limits_.daily_cap,
                      std::chrono::duration<double>(steady::now() - started_).count()};
    return end_run(end, *journal_, options_.config);
}

// --- setup and the operator's side ---------------------------------------------------------

run_calls importer::calls_of_run() const {
    const auto& layout = sheet_->layout();
    const bool groups = layout[static_cast<std::size_t>(field::group)].has_value();
    bool profile = false;
    for (std::size_t i = 0; i < profile_field_count; ++i)
        profile = profile || layout[static_cast<std::size_t>(profile_field_at(i))].has_value();
    return {.updates = groups || profile,
            .groups = groups,
            .follows_invitations =
                info_of(limits_.action).user_pending || any_pending(journal_->summary()),
            .reinvites = options_.config.reinvite};
}

user_sheet importer::open_sheet() const {
    return zprov::open_sheet(options_.csv, options_.config);
}

void importer::open_journal() {
    writer_ = std::make_unique<journal_writer>(
        journal_path_, [](const std::string& m) { std::cerr << "zprov: warning: " << m << "\n"; },
        options_.config.account_id);
    journal_ = std::make_unique<run_journal>(*writer_, limits_.action, /*buffered=*/true);
    syncer_ = std::make_unique<journal_syncer>(io_.get_executor(), writer_->file());
}

// A run started soon after another (a rerun after a kill -9, a crash) shares Zoom's windows
// with the requests that run sent in its last second. Each of them was written (a create's
// intent, another call's call record) before it was sent and before that run ended, so no
// later than now: the requests of the last few seconds count in this run's pacer of their
// category as sent now, and its first window holds only what they left of it.
void importer::count_last_run() {
    const auto now_ms = now_unix_ms();
    const auto now = steady::now();
    for (const auto& c : rate_category_table())
        for (const auto ms : journal_->summary().recent_sends_ms[static_cast<std::size_t>(c.id)])
            if (ms > now_ms - journal_summary::recent_sends_span)
                pacers_.of(c.id).counted(now);
}

std::function<void(const std::string&)> importer::say() {
    return [this](const std::string& line) { progress_.log(line); };
}

std::function<void(const std::string&)> importer::verbose_log() {
    return options_.verbose ? say() : nullptr;
}

// A worker's (or the pipeline's) exception becomes the run's stop reason (run/shutdown).
void importer::note_failure(std::exception_ptr e) {
    stop_for_failure(stop_, e, say());
}

net::awaitable<void> importer::show_progress() {
    net::steady_timer next(io_);
    for (;;) {
        next.expires_after(progress_.period());
        co_await next.async_wait(net::use_awaitable);
        progress_.show();
    }
}

} // namespace

exit_code run_import(const import_options& options) {
    net::io_context io;
    importer job(io, options);
    return job.run();
}

} // namespace zprov
