// `zprov run`, top to bottom: open the journal, stream the sheet to N workers (each owning
// one connection), pace, send, record, finish. Each stage is its own module in run/.
#include "zprov/run/import.hpp"

#include "zprov/run/account_lock.hpp"
#include "zprov/base/clock.hpp"
#include "zprov/base/event_log.hpp"
#include "zprov/net/session.hpp"
#include "zprov/journal/invitations.hpp"
#include "zprov/journal/writer.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/base/private_file.hpp"
#include "zprov/net/proxy.hpp"
#include "zprov/run/account_problems.hpp"
#include "zprov/run/steps/activations.hpp"
#include "zprov/run/dry_run.hpp"
#include "zprov/run/dry_run_reads.hpp"
#include "zprov/run/steps/groups.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/notices.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/progress.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/row_source.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/run_summary.hpp"
#include "zprov/run/worker_sizer.hpp"
#include "zprov/base/text.hpp"
#include "zprov/net/token.hpp"
#include "zprov/sheet/user_sheet.hpp"
#include "zprov/zoom/api.hpp"

#include <csignal>
#include <iostream>
#include <unistd.h>

namespace zprov {

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto interrupt_grace = 20s;   // in-flight requests get this long after Ctrl-C
constexpr auto same_signal_window = 1s; // a signal this soon after the first is the same
constexpr int token_refreshes_per_row = 2;
// Before any round trip is measured, each request is taken to keep its worker this long.
constexpr auto first_busy_guess = 100ms;
// A worker kept off work looks again when the target grows, the rows run out or the run
// stops, and at least this often.
constexpr auto idle_worker_step = 30s;
// --wait-for-account: how often the account's lock is tried, and for how long at most.
constexpr auto account_lock_step = 1s;
constexpr auto account_lock_longest = std::chrono::hours(24);

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
          progress_(live_progress(options.config), tally_.count, limits_.rate),
          signals_(io, SIGINT, SIGTERM, SIGHUP) {}

    exit_code run();

private:
    user_sheet open_sheet() const;
    void open_journal();
    void count_last_run();
    void announce();
    net::awaitable<void> run_until_done();
    net::awaitable<void> pipeline();
    net::awaitable<bool> take_account();
    net::awaitable<void> work(row_source& rows, int number);
    int workers_wanted();
    net::awaitable<void> shutdown();
    net::awaitable<void> next_signal();
    net::awaitable<void> grace_period(steady::time_point end);
    net::awaitable<void> show_progress();
    void note_failure(std::exception_ptr e);
    run_calls calls_of_run() const;
    exit_code finish();
    std::function<void(const std::string&)> verbose_log();

    net::io_context& io_;
    const import_options& options_;
    send_limits limits_;
    endpoint api_, oauth_;
    std::string journal_path_;
    pacer_set pacers_;
    worker_sizer sizer_;
    event workers_changed_; // the target grew, a worker was lost, or the rows ran out
    int workers_target_ = 0;
    int workers_lost_ = 0; // workers ended on an error
    bool rows_done_ = false;
    run_tally tally_;
    stop_state stop_;
    progress_display progress_;
    // For the whole run, so that a signal during the run's end is caught, not fatal.
    net::signal_set signals_;

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
    announce();

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
        .log = {
            .say = [this](const std::string& m) { progress_.log(m); },
            .waiting = [this](std::optional<sys_seconds> until) { progress_.set_waiting(until); },
            .verbose = options_.verbose,
            .trace = options_.trace},
        .workers = &sizer_});
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
    racing.push_back(shutdown());
    if (options_.config.progress != progress_mode::never)
        racing.push_back(show_progress());
    co_await first_to_end(std::move(racing));
}

net::awaitable<void> importer::pipeline() {
    if (!co_await take_account())
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
    // round trips measured (run/worker_sizer); the others wait, their connections unopened.
    const int workers = options_.config.concurrency;
    workers_target_ = sizer_.target(pacers_.of(rate_category::light).rate());
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

// One import per account at a time (account_lock): without --wait-for-account a run that
// finds another importing into the account stops at once (75), sending nothing; with it, it
// waits for that run to end, and then for one window of the pacer, in which Zoom still counts
// that run's last requests.
net::awaitable<bool> importer::take_account() {
    if (account_->try_take())
        co_return true;
    const auto pid = account_->holder();
    const std::string busy = "another zprov run" +
                             (pid.empty() ? std::string() : " (pid " + pid + ")") +
                             " is importing into " + account_->account_name() +
                             "; two at once share its rate limits and draw each other's 429s";
    if (!options_.config.wait_for_account) {
        stop_.request(exit_code::paused,
                      busy + ". Nothing was sent: rerun when it has finished, or pass "
                             "--wait-for-account to wait for it");
        co_return false;
    }
    progress_.log(busy + ": waiting for it to end (--wait-for-account)");
    const auto give_up = steady::now() + account_lock_longest;
    while (!account_->try_take()) {
        if (steady::now() >= give_up) {
            stop_.request(exit_code::paused, busy + ": waited " +
                                                 std::to_string(account_lock_longest.count()) +
                                                 " hours for it; rerun later");
            co_return false;
        }
        co_await wait_unless(stop_, stop_level::stopping, steady::now() + account_lock_step);
        if (stop_.stopping())
            co_return false;
    }
    progress_.log("The other run into " + account_->account_name() + " has ended; going on");
    co_await wait_unless(stop_, stop_level::stopping,
                         steady::now() + pacers_.of(rate_category::light).window());
    co_return !stop_.stopping();
}

net::awaitable<void> importer::work(row_source& rows, int number) {
    auto session = network_->connect(api_);
    // Paused at the daily cap (a stop that does not abandon waiting): the rows' steps after
    // earlier creates still go out; their creates wait for the next run.
    try {
        while (!stop_.abandons_waiting() && !rows_done_) {
            // A worker that ended on an error is replaced by the next one waiting.
            if (number >= workers_wanted() + workers_lost_) {
                sizer_.idle(session.get());
                co_await wait_unless(stop_, stop_level::abandoning, workers_changed_,
                                     steady::now() + idle_worker_step);
                continue;
            }
            auto item = rows.next();
            if (!item) {
                rows_done_ = true;
                workers_changed_.notify();
                break;
            }
            if (stop_.stopping() && !item->steps_only)
                continue;
            co_await send_row(*rows_, *session, *item);
        }
    } catch (...) {
        ++workers_lost_;
        workers_changed_.notify();
        throw;
    }
    co_await session->close();
}

// The workers the rate needs now; the waiting ones are woken when it grows.
int importer::workers_wanted() {
    const int target = sizer_.target(pacers_.of(rate_category::light).rate());
    if (target > workers_target_)
        workers_changed_.notify();
    workers_target_ = target;
    return target;
}

exit_code importer::finish() {
    progress_.clear();
    const auto code = final_exit_code(stop_.reason(), tally_.count);
    run_end end{tally_.count,
                stop_.reason(),
                journal_->summary(),
                options_.csv,
                journal_path_,
                options_.command_line.empty() ? "zprov run " + shell_quote(options_.csv) +
                                                    " --journal " + shell_quote(journal_path_)
                                              : options_.command_line,
                limits_.daily_cap,
                std::chrono::duration<double>(steady::now() - started_).count()};
    auto summary = summary_json(end, code);
    journal_->run_ended(code, summary);
    if (!stop_.message().empty())
        log_event("stop",
                  {{"exit_code", to_int(stop_.reason().code)}, {"reason", stop_.message()}});
    if (json_log()) {
        auto event = summary;
        event["counts"] = summary["journal_totals"]; // what `status --json` counts
        event["rerun"] = end.rerun;
        log_event("run_end", event);
    } else {
        print_run_end(std::cerr, end, code, summary);
    }
    if (!options_.config.notify.empty())
        send_notices(options_.config, *journal_,
                     attention_of(tally_.count, stop_.reason(), code, journal_->summary()), code,
                     options_.csv,
                     "zprov report " + shell_quote(journal_path_) + " --failed-only -o fix.csv");
    if (const auto& path = options_.config.summary_json) {
        try {
            write_private_file(
                *path, summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                {journal_path_, options_.csv});
        } catch (const fatal_error& e) {
            std::cerr << "zprov: cannot write the summary: " << e.what()
                      << " (the run's results are in the journal)\n";
            return exit_code::cannot_write;
        }
    }
    return code;
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

// A run started soon after another (a rerun after a kill -9, a crash) shares Zoom's window
// with the requests that run sent in its last second. Each of them was written after its
// intent and before that run ended, so no later than now: the intents of the last few
// seconds count in this run's pacer as written now, and its first window holds only what they
// left of it.
void importer::count_last_run() {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto& pacer = pacers_.of(rate_category::light);
    const auto now = steady::now();
    for (const auto ms : journal_->summary().recent_intents_ms)
        if (ms > now_ms - journal_summary::recent_intents_span)
            pacer.counted(now);
}

void importer::announce() {
    if (json_log()) {
        log_event("run_start",
                  {{"csv", options_.csv},
                   {"journal", journal_path_},
                   {"plan", limits_of(limits_.plan_id).name},
                   {"action", info_of(limits_.action).name},
                   {"rate", limits_.rate},
                   {"daily_cap",
                    limits_.daily_cap > 0 ? nlohmann::json(limits_.daily_cap) : nlohmann::json()},
                   {"rows_to_send", total_ >= 0 ? nlohmann::json(total_) : nlohmann::json()}});
        return;
    }
    std::cerr << "Importing " << options_.csv << " (" << limits_of(limits_.plan_id).title
              << " plan, " << info_of(limits_.action).name << ", " << limits_.rate << " requests/s";
    if (limits_.daily_cap > 0)
        std::cerr << ", " << limits_.daily_cap << " creates per UTC day";
    std::cerr << "): " << (total_ >= 0 ? std::to_string(total_) : std::string("?"))
              << " rows to send\n";
}

std::function<void(const std::string&)> importer::verbose_log() {
    if (!options_.verbose)
        return {};
    return [this](const std::string& line) { progress_.log(line); };
}

// A worker's (or the pipeline's) exception becomes the run's stop reason, or is said on
// its own when an earlier reason stopped the run; one that a halt caused is expected.
void importer::note_failure(std::exception_ptr e) {
    if (!e)
        return;
    auto stop_for = [this](exit_code code, const std::string& why) {
        const bool first = !stop_.stopping();
        stop_.request(code, why);
        if (!first && why != stop_.message())
            progress_.log("zprov: also: " + why);
    };
    try {
        std::rethrow_exception(e);
    } catch (const boost::system::system_error& x) {
        if (x.code() != net::error::operation_aborted || !stop_.halted()) {
            const auto ending = ending_of(x);
            stop_for(ending.code, ending.message);
        }
    } catch (const std::exception& x) {
        const auto ending = ending_of(x);
        stop_for(ending.code, ending.message);
    }
}

// The run's shutdown, as one coroutine: the first signal stops the intake and ends every
// wait at once, while the requests in flight are answered and journaled; a second signal, or
// the end of the grace period, halts the run: this coroutine ends, and with it the race of
// run_until_done cancels the pipeline. A request written but not answered then stays an
// intent without an outcome (in doubt), which the next run resolves.
net::awaitable<void> importer::shutdown() {
    const int signo = co_await signals_.async_wait(net::use_awaitable);
    progress_.log(std::string("zprov: ") +
                  (signo == SIGINT   ? "interrupted"
                   : signo == SIGHUP ? "hung up (the terminal closed)"
                                     : "terminated") +
                  "; finishing the requests in flight (a second signal, 1 s or more later, "
                  "stops at once)");
    stop_.interrupt("interrupted");
    const auto first = steady::now();
    std::size_t ended = 0;
    do { // a timeout wrapper signals zprov, then its group: two at once are one request
        std::vector<net::awaitable<void>> racing;
        racing.push_back(next_signal());
        racing.push_back(grace_period(first + interrupt_grace));
        ended = co_await first_to_end(std::move(racing));
    } while (ended == 0 && steady::now() - first < same_signal_window);
    progress_.log(ended == 0
                      ? std::string("zprov: stopped at once; the requests in flight stay in "
                                    "doubt until a rerun settles them")
                      : "zprov: requests still in flight after " +
                            std::to_string(interrupt_grace.count()) +
                            " s; stopping at once; they stay in doubt until a rerun settles them");
    stop_.halt("interrupted");
}

net::awaitable<void> importer::next_signal() {
    co_await signals_.async_wait(net::use_awaitable);
}

net::awaitable<void> importer::grace_period(steady::time_point end) {
    net::steady_timer grace(io_, end);
    co_await grace.async_wait(net::use_awaitable);
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
