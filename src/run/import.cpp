// `zprov run`, top to bottom: open the journal, stream the sheet to N workers (each owning
// one connection), pace, send, record, finish. Each stage is its own module in run/.
#include "zprov/import.hpp"

#include "zprov/clock.hpp"
#include "zprov/http_session.hpp"
#include "zprov/invitations.hpp"
#include "zprov/journal.hpp"
#include "zprov/net.hpp"
#include "zprov/private_file.hpp"
#include "zprov/proxy.hpp"
#include "zprov/run/account_problems.hpp"
#include "zprov/run/activations.hpp"
#include "zprov/run/dry_run.hpp"
#include "zprov/run/groups.hpp"
#include "zprov/run/journal_syncer.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/progress.hpp"
#include "zprov/run/row_sender.hpp"
#include "zprov/run/row_source.hpp"
#include "zprov/run/row_waits.hpp"
#include "zprov/run/run_journal.hpp"
#include "zprov/run/run_summary.hpp"
#include "zprov/text.hpp"
#include "zprov/token_holder.hpp"
#include "zprov/user_sheet.hpp"
#include "zprov/zoom/api.hpp"

#include <csignal>
#include <iostream>
#include <unistd.h>

namespace zprov {

std::string default_journal_path(const std::string& csv) {
    return csv + ".journal";
}

namespace {
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto interrupt_grace = 20s;   // in-flight requests get this long after Ctrl-C
constexpr auto same_signal_window = 1s; // a signal this soon after the first is the same
constexpr int token_refreshes_per_row = 2;

bool live_progress(const settings& config) {
    // auto: a live line on a terminal, a plain line every few seconds otherwise.
    auto mode = config.progress.value_or(progress_mode::automatic);
    return mode == progress_mode::always ||
           (mode == progress_mode::automatic && ::isatty(STDERR_FILENO) != 0);
}

class importer {
public:
    importer(net::io_context& io, const import_options& options)
        : io_(io), options_(options), limits_(resolve_limits(options.config)),
          api_(route_through_proxy(
              parse_endpoint(options.config.base_url.value_or(std::string(zoom_api::base_url)),
                             "--base-url"),
              options.config.proxy)),
          oauth_(route_through_proxy(
              parse_endpoint(options.config.oauth_url.value_or(std::string(zoom_api::oauth_url)),
                             "--oauth-url"),
              options.config.proxy)),
          journal_path_(options.config.journal.value_or(
              options.csv == "-" ? "" : default_journal_path(options.csv))),
          pacers_(limits_.plan_id, limits_.rate, steady::now()),
          progress_(live_progress(options.config), count_, limits_.rate),
          signals_(io, SIGINT, SIGTERM, SIGHUP), grace_(io), progress_timer_(io) {}

    exit_code run();

private:
    user_sheet open_sheet() const;
    void open_journal();
    void announce();
    net::awaitable<void> pipeline();
    net::awaitable<void> work(row_source& rows);
    net::awaitable<void> watch_signals();
    void halt(const std::string& why);
    net::awaitable<void> show_progress();
    void note_failure(std::exception_ptr e);
    exit_code finish();
    std::function<void(const std::string&)> verbose_log();

    net::io_context& io_;
    const import_options& options_;
    send_limits limits_;
    endpoint api_, oauth_;
    std::string journal_path_;
    pacer_set pacers_;
    run_counters count_;
    stop_state stop_;
    progress_display progress_;
    net::signal_set signals_;
    net::steady_timer grace_;
    net::cancellation_signal halt_; // reaches the pipeline, its workers and their requests
    net::steady_timer progress_timer_;

    std::unique_ptr<journal_writer> writer_;
    std::unique_ptr<run_journal> journal_;
    std::unique_ptr<journal_syncer> syncer_; // flushes off the I/O thread
    std::unique_ptr<user_sheet> sheet_;
    std::shared_ptr<ssl::context> tls_;
    std::unique_ptr<token_holder> tokens_;
    std::unique_ptr<send_context> send_;
    std::int64_t total_ = -1; // rows to send this run (-1: unknown, standard input)
    bool finished_ = false;
    steady::time_point started_ = steady::now();
};

exit_code importer::run() {
    if (journal_path_.empty())
        throw fatal_error(exit_code::usage,
                          "reading the CSV from standard input needs --journal FILE");
    if (options_.config.dry_run.value_or(false)) {
        auto sheet = open_sheet();
        for (const auto& notice : sheet.notices())
            std::cerr << sheet.name() << ": " << notice << "\n";
        const auto groups = dry_run_groups(
            sheet, api_, oauth_, options_.config.ca_file.value_or(""), limits_.plan_id,
            limits_.rate, options_.trace, options_.config.account_id.value_or(""));
        return dry_run(sheet, journal_path_, limits_, options_.config.retry_failed.value_or(false),
                       verbose_log(), groups ? &*groups : nullptr);
    }
    auto creds = credentials_from_environment();
    forget_credentials_environment();
    tls_ = make_tls_context(options_.config.ca_file.value_or(""));
    open_journal();
    sheet_ = std::make_unique<user_sheet>(open_sheet());
    for (const auto& notice : sheet_->notices())
        std::cerr << sheet_->name() << ": " << notice << "\n";
    // The progress total needs a second pass: only a regular file can be read twice (a
    // pipe such as `<(cat users.csv)` would be empty the second time).
    if (csv_source::rereadable(options_.csv)) {
        auto counting = open_sheet();
        total_ = count_pending(counting, journal_->summary(),
                               options_.config.retry_failed.value_or(false));
    }
    progress_.set_total(total_);
    journal_->run_started(options_.csv, limits_, sheet_->header());
    announce();

    tokens_ = std::make_unique<token_holder>(io_.get_executor(), tls_, oauth_, creds,
                                             [this](const std::string& m) {
                                                 if (options_.verbose)
                                                     progress_.log(m);
                                             });
    send_ = std::make_unique<send_context>(
        send_context{io_.get_executor(), options_, limits_, api_,
                     options_.config.body.value_or(body_format::json),
                     retry_limits{options_.config.max_attempts.value_or(default_max_attempts),
                                  token_refreshes_per_row},
                     *journal_, *syncer_, pacers_.for_call("POST", zoom_api::users_path),
                     pacers_.for_call("GET", "/users/{id}"), *tokens_, count_, stop_, progress_});
    send_->budget = daily_budget(limits_.daily_cap);

    net::co_spawn(io_, watch_signals(), net::detached);
    if (options_.config.progress.value_or(progress_mode::automatic) != progress_mode::never)
        net::co_spawn(io_, show_progress(), net::detached);
    net::co_spawn(io_, pipeline(),
                  net::bind_cancellation_slot(halt_.slot(), [this](std::exception_ptr e) {
                      note_failure(e);
                      finished_ = true;
                      signals_.cancel();
                      grace_.cancel();
                      progress_timer_.cancel();
                  }));
    io_.run();
    return finish();
}

net::awaitable<void> importer::pipeline() {
    // Credentials are checked before any row is sent.
    if (!co_await token_unless_abandoned(*send_))
        co_return;
    const bool sub_account = !options_.config.account_id.value_or("").empty();
    if (const auto& scopes = tokens_->scopes(); scopes && !can_create_users(*scopes, sub_account))
        throw fatal_error(exit_code::no_permission, create_scope_missing(*scopes, sub_account));
    if (const auto* pause = journal_->summary().active_pause(now_utc());
        pause && options_.config.clear_pause.value_or(false)) {
        progress_.log("Clearing the pause recorded until " + iso8601(pause->until) + " (" +
                      pause->reason + ")");
        journal_->resume();
    }
    // At the daily cap the run stops creating, not the steps after earlier creates (group,
    // profile, activation checks): only another stop ends it here.
    if (total_ != 0) {
        const bool sending = co_await hold_for_pause(*send_); // named: g++ 12, see api_call
        if (!sending && stop_.abandons_waiting())
            co_return;
    }
    // The account's groups, when the sheet names groups: read once, before any row.
    group_source source{io_.get_executor(),
                        tls_,
                        api_,
                        *tokens_,
                        pacers_.of(rate_category::medium),
                        send_->retry,
                        stop_,
                        options_.trace ? std::function<void(const std::string&)>(
                                             [this](const std::string& m) { progress_.log(m); })
                                       : nullptr,
                        options_.config.account_id.value_or("")};
    group_source lists = source; // the pending users' list: the same category (Medium)
    const auto groups = co_await groups_for(*sheet_, std::move(source));
    // Users made pending by earlier runs that have accepted since: their profiles are owed.
    std::function<void(const std::string&)> say = [this](const std::string& m) {
        progress_.log(m);
    };
    const auto pending =
        co_await check_activations(std::move(lists), *journal_, *syncer_, std::move(say));
    row_source rows(*sheet_, journal_->summary(), options_.config.retry_failed.value_or(false),
                    count_, journal_.get(), verbose_log());
    rows.check_groups(groups ? &*groups : nullptr);
    rows.update_existing(options_.config.update_existing.value_or(false));
    const auto& c = options_.config;
    rows.reinvites({pending ? &*pending : nullptr, c.reinvite.value_or(false),
                    c.max_reinvites.value_or(0), c.stale_after.value_or(default_stale_after_days),
                    now_utc()});
    // N workers pull rows one at a time: the sheet streams, and a row is read only when a
    // worker is free to send it.
    const int workers = options_.config.concurrency.value_or(default_concurrency);
    const auto reinvited_before = journal_->summary().reinvited;
    auto failures =
        co_await run_workers(io_.get_executor(), workers, [&](int) { return work(rows); });
    if (const auto n = journal_->summary().reinvited - reinvited_before; n > 0)
        progress_.log(std::to_string(n) + " stale invitations sent again (users deleted and "
                                          "created anew)");
    for (auto& failure : failures)
        note_failure(failure);
    if (send_->seats.any()) // the other rows are done: the run still ends refused (77)
        stop_.request(exit_code::no_permission, send_->seats.message());
}

net::awaitable<void> importer::work(row_source& rows) {
    http_session session(io_.get_executor(), tls_, api_);
    // Paused at the daily cap (a stop that does not abandon waiting): the rows' steps after
    // earlier creates still go out; their creates wait for the next run.
    while (!stop_.abandons_waiting()) {
        auto item = rows.next();
        if (!item)
            break;
        if (stop_.stopping() && !item->steps_only)
            continue;
        co_await send_row(*send_, session, *item);
    }
    co_await session.close();
}

exit_code importer::finish() {
    finished_ = true;
    progress_.clear();
    const auto code = final_exit_code(stop_, count_);
    run_end end{count_,
                stop_,
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
    print_run_end(std::cerr, end, code, summary);
    if (auto path = options_.config.summary_json) {
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

user_sheet importer::open_sheet() const {
    sheet_options o;
    o.rules.action = limits_.action;
    o.rules.default_type = options_.config.type.value_or(1);
    o.columns = options_.config.columns;
    return user_sheet(csv_source::open(options_.csv, sheet_format(options_.config)), std::move(o));
}

void importer::open_journal() {
    writer_ = std::make_unique<journal_writer>(
        journal_path_, [](const std::string& m) { std::cerr << "zprov: warning: " << m << "\n"; },
        options_.config.account_id.value_or(""));
    journal_ = std::make_unique<run_journal>(*writer_, limits_.action, /*buffered=*/true);
    syncer_ = std::make_unique<journal_syncer>(io_.get_executor(), writer_->file());
}

void importer::announce() {
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
    } catch (const fatal_error& f) {
        stop_for(f.code(), f.what());
    } catch (const boost::system::system_error& x) {
        if (x.code() != net::error::operation_aborted || !stop_.halted())
            stop_for(exit_code::unavailable, std::string("internal error: ") + x.what());
    } catch (const std::exception& x) {
        stop_for(exit_code::unavailable, std::string("internal error: ") + x.what());
    }
}

net::awaitable<void> importer::watch_signals() {
    steady::time_point first{};
    for (;;) {
        auto [ec, signo] = co_await signals_.async_wait(net::as_tuple(net::use_awaitable));
        if (ec)
            co_return; // cancelled: the run is over
        if (stop_.interrupted()) {
            // A timeout wrapper signals zprov, then its group: two at once are one request.
            if (steady::now() - first < same_signal_window)
                continue;
            halt("zprov: stopped at once; the requests in flight stay in doubt until a rerun "
                 "settles them");
            continue;
        }
        first = steady::now();
        progress_.log(std::string("zprov: ") +
                      (signo == SIGINT   ? "interrupted"
                       : signo == SIGHUP ? "hung up (the terminal closed)"
                                         : "terminated") +
                      "; finishing the requests in flight (a second signal, 1 s or more later, "
                      "stops at once)");
        stop_.interrupt("interrupted");
        grace_.expires_after(interrupt_grace);
        grace_.async_wait([this](boost::system::error_code gec) {
            if (!gec && !finished_)
                halt("zprov: requests still in flight after " +
                     std::to_string(interrupt_grace.count()) +
                     " s; stopping at once; they stay in doubt until a rerun settles them");
        });
    }
}

// Cancels everything in flight: each request awaited is abandoned where it is, and its
// worker ends without another record, so a request written but not answered stays an
// intent without an outcome (in doubt), which the next run resolves.
void importer::halt(const std::string& why) {
    if (stop_.halted())
        return;
    progress_.log(why);
    stop_.halt("interrupted");
    halt_.emit(net::cancellation_type::terminal);
}

net::awaitable<void> importer::show_progress() {
    while (!finished_) {
        progress_timer_.expires_after(progress_.period());
        co_await progress_timer_.async_wait(net::as_tuple(net::use_awaitable));
        if (finished_)
            break;
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
