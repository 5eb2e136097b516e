#include "zprov/import.hpp"

#include "zprov/clock.hpp"
#include "zprov/http_session.hpp"
#include "zprov/journal.hpp"
#include "zprov/net.hpp"
#include "zprov/private_file.hpp"
#include "zprov/text.hpp"
#include "zprov/token_bucket.hpp"
#include "zprov/token_holder.hpp"
#include "zprov/user_request.hpp"
#include "zprov/user_sheet.hpp"
#include "zprov/zoom_answer.hpp"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <unistd.h>

namespace zprov {

std::string default_journal_path(const std::string& csv) {
    return csv + ".journal";
}

namespace {
using namespace std::chrono_literals;
using json = nlohmann::json;
using steady = std::chrono::steady_clock;

struct work_item {
    user_record user;
    unsigned line = 0;
    std::string key;                // lower-cased email: the row's identity
    std::vector<std::string> cells; // the row as read, password blanked, for the report
    std::string intent_day;         // UTC day of the latest intent
};

constexpr auto backoff_base = 500ms;
constexpr auto backoff_cap = 30s;
constexpr int outage_rows = 3;        // rows failing in a row that mean Zoom is unreachable
constexpr auto interrupt_grace = 20s; // in-flight requests get this long after Ctrl-C
constexpr auto wait_step = 30s;       // --wait re-reads the wall clock at least this often
constexpr int token_refreshes_per_row = 2;

struct counters : outcome_counts {
    std::int64_t skipped = 0;         // settled by an earlier run
    std::int64_t rejected_before = 0; // of those, rejected by Zoom (--retry-failed resends)
    std::int64_t requests = 0;
    std::int64_t rate_limited = 0;
    std::int64_t done() const { return created + exists + rejected + failed; }
};

class importer {
public:
    importer(net::io_context& io, const import_options& options)
        : io_(io), options_(options), limits_(resolve_limits(options.config)),
          api_(parse_endpoint(options.config.base_url.value_or("https://api.zoom.us/v2"),
                              "--base-url")),
          oauth_(parse_endpoint(options.config.oauth_url.value_or("https://zoom.us/oauth/token"),
                                "--oauth-url")),
          journal_path_(options.config.journal.value_or(
              options.csv == "-" ? "" : default_journal_path(options.csv))),
          concurrency_(options.config.concurrency.value_or(default_concurrency)),
          max_attempts_(options.config.max_attempts.value_or(default_max_attempts)),
          body_(options.config.body.value_or(body_format::json)),
          bucket_(limits_.rate, steady::now()), rng_(std::random_device{}()),
          signals_(io, SIGINT, SIGTERM), grace_(io), progress_timer_(io) {}

    exit_code run();

private:
    net::awaitable<void> pipeline();
    void note_failure(std::exception_ptr e);
    exit_code dry_run();
    user_sheet open_sheet() const;
    bool needs_sending(const std::string& key) const;
    std::int64_t count_pending() const;
    std::optional<work_item> next_item();
    net::awaitable<void> work();
    net::awaitable<void> process(http_session& session, work_item& item);
    net::awaitable<void> watch_signals();
    net::awaitable<void> show_progress();
    net::awaitable<void> sleep(steady::duration d);

    bool budget_spent() const;
    void record_pause(sys_seconds until, const std::string& reason);
    net::awaitable<bool> hold_for_pause(); // false: the run stops instead of waiting

    void journal_intent(work_item& item, int attempt);
    void journal_settled(const work_item& item, int status, const std::string& why);
    void journal_outcome(const work_item& item, outcome what, int attempts,
                         const zoom_answer* answer, const std::string& message);
    void journal_invalid(const sheet_row& row, const std::vector<std::string>& cells);
    void stop(exit_code code, const std::string& message);
    exit_code finish();

    void log(const std::string& line);
    void clear_progress();
    std::string progress_line() const;
    json summary_json(exit_code code) const;
    std::vector<std::string> report_cells(const user_sheet& sheet) const;

    net::io_context& io_;
    const import_options& options_;
    send_limits limits_;
    endpoint api_, oauth_;
    std::string journal_path_;
    int concurrency_;
    int max_attempts_;
    body_format body_;
    token_bucket bucket_;
    std::mt19937_64 rng_;
    net::signal_set signals_;
    net::steady_timer grace_;
    net::steady_timer progress_timer_;

    std::unique_ptr<journal_writer> journal_; // null in a dry run
    const journal_summary* state_ = nullptr; // what the journal says (the writer's, or a read copy)
    std::unique_ptr<user_sheet> sheet_;
    std::shared_ptr<ssl::context> tls_;
    std::unique_ptr<token_holder> tokens_;

    counters count_;
    std::int64_t total_ = -1; // rows to send this run (-1: unknown, standard input)
    bool stopping_ = false;
    bool rows_exhausted_ = false;
    bool finished_ = false;
    exit_code stop_code_ = exit_code::ok;
    std::string stop_message_;
    int consecutive_failed_ = 0;
    int signals_seen_ = 0;
    std::optional<sys_seconds> waiting_until_; // --wait: sleeping through a pause
    bool progress_live_ = false;
    bool progress_shown_ = false;
    steady::time_point started_ = steady::now();
};

// --- output ------------------------------------------------------------------------------

void importer::log(const std::string& line) {
    clear_progress();
    std::cerr << line << "\n";
}

void importer::clear_progress() {
    if (progress_live_ && progress_shown_) {
        std::cerr << "\r\033[K";
        progress_shown_ = false;
    }
}

std::string importer::progress_line() const {
    auto elapsed = std::chrono::duration<double>(steady::now() - started_).count();
    double rate = elapsed > 0 ? static_cast<double>(count_.requests) / elapsed : 0;
    char buf[256];
    std::string total = total_ >= 0 ? std::to_string(total_) : "?";
    std::snprintf(
        buf, sizeof buf,
        "%lld/%s done | created %lld, exists %lld, rejected %lld, failed %lld | %.1f req/s",
        static_cast<long long>(count_.done()), total.c_str(),
        static_cast<long long>(count_.created), static_cast<long long>(count_.exists),
        static_cast<long long>(count_.rejected), static_cast<long long>(count_.failed), rate);
    std::string line = buf;
    if (waiting_until_) {
        auto left = std::max<std::int64_t>(0, (*waiting_until_ - now_utc()).count());
        line +=
            " | paused at the daily cap, resuming in " + human_duration(static_cast<double>(left));
    } else if (total_ > 0 && rate > 0 && count_.done() < total_) {
        line += " | ETA " + human_duration(static_cast<double>(total_ - count_.done()) /
                                           std::min(rate, limits_.rate));
    }
    return line;
}

// --- journal -----------------------------------------------------------------------------

void importer::journal_intent(work_item& item, int attempt) {
    auto now = now_utc();
    item.intent_day = utc_day(now);
    journal_->append(
        intent_record{iso8601(now), item.key, item.line, item.intent_day, limits_.action, attempt});
}

void importer::journal_settled(const work_item& item, int status, const std::string& why) {
    journal_->append(
        settled_record{iso8601(now_utc()), item.key, item.intent_day, limits_.action, status, why});
}

void importer::journal_outcome(const work_item& item, outcome what, int attempts,
                               const zoom_answer* answer, const std::string& message) {
    outcome_record r;
    r.at = iso8601(now_utc());
    r.email = item.key;
    r.what = what;
    r.line = item.line;
    r.attempts = attempts;
    r.message = message;
    if (answer) {
        r.http = answer->status;
        r.code = answer->code;
        r.id = answer->user_id;
    }
    if (info_of(what).problem)
        r.row = item.cells;
    journal_->append(r);
    count_.add(what);
    if (options_.verbose) {
        std::string line = "line " + std::to_string(item.line) + ": " + item.user.email + ": " +
                           std::string(info_of(what).name);
        if (answer)
            line += " (HTTP " + std::to_string(answer->status) +
                    (answer->code ? ", code " + std::to_string(*answer->code) : "") + ")";
        if (!message.empty())
            line += ": " + message;
        log(line);
    }
}

void importer::journal_invalid(const sheet_row& row, const std::vector<std::string>& cells) {
    count_.add(outcome::invalid);
    std::string reasons;
    for (const auto& e : row.errors)
        reasons += (reasons.empty() ? "" : "; ") + e.field + ": " + e.reason;
    auto key = email_key(row.user.email);
    bool duplicate = std::any_of(row.errors.begin(), row.errors.end(), [](const field_error& e) {
        return e.reason.rfind("repeats ", 0) == 0;
    });
    if (key.empty() || duplicate)
        key = "#line " + std::to_string(row.line) + (key.empty() ? "" : " " + key);
    if (options_.verbose)
        log("line " + std::to_string(row.line) + ": invalid: " + reasons);
    if (!journal_)
        return;
    if (auto it = journal_->summary().rows.find(key); it != journal_->summary().rows.end() &&
                                                      it->second.last == outcome::invalid &&
                                                      !it->second.open_intent)
        return; // already on record: a nightly rerun does not grow the journal
    outcome_record r;
    r.at = iso8601(now_utc());
    r.email = key;
    r.what = outcome::invalid;
    r.line = row.line;
    r.message = reasons;
    r.row = cells;
    journal_->append(r);
}

void importer::stop(exit_code code, const std::string& message) {
    if (!stopping_ || stop_code_ == exit_code::ok) {
        stop_code_ = code;
        stop_message_ = message;
    }
    stopping_ = true;
}

// --- pauses ------------------------------------------------------------------------------

bool importer::budget_spent() const {
    if (limits_.daily_cap <= 0)
        return false;
    return journal_->summary().creates_on(utc_day(now_utc())) >= limits_.daily_cap;
}

void importer::record_pause(sys_seconds until, const std::string& reason) {
    const auto& existing = journal_->summary().pause;
    if (existing && existing->until >= until)
        return;
    journal_->append(pause_record{iso8601(now_utc()), iso8601(until), reason});
    if (options_.config.wait.value_or(false))
        log("Paused: " + reason + ". Waiting until " + iso8601(until) + " (" +
            local_time_text(until) + ")");
}

net::awaitable<bool> importer::hold_for_pause() {
    for (;;) {
        const auto& pause = journal_->summary().pause;
        if (pause && now_utc() < pause->until) {
            if (!options_.config.wait.value_or(false)) {
                stop(exit_code::paused, pause->reason);
                co_return false;
            }
            waiting_until_ = pause->until;
            // Sleep in bounded steps, re-reading the wall clock: robust to clock jumps and
            // suspend.
            auto left = pause->until - now_utc();
            co_await sleep(std::min<steady::duration>(left + 1s, wait_step));
            if (stopping_)
                co_return false;
            continue;
        }
        if (pause) {
            journal_->append(resume_record{iso8601(now_utc())});
            waiting_until_.reset();
            log("Resuming after the pause.");
        }
        if (budget_spent()) {
            record_pause(next_utc_midnight(now_utc()), "the daily create cap (" +
                                                           std::to_string(limits_.daily_cap) +
                                                           ") is spent for " + utc_day(now_utc()));
            continue;
        }
        co_return !stopping_;
    }
}

net::awaitable<void> importer::sleep(steady::duration d) {
    // In slices, so that a stop is noticed promptly.
    auto until = steady::now() + d;
    net::steady_timer timer(io_);
    while (!stopping_ && steady::now() < until) {
        timer.expires_after(std::min<steady::duration>(until - steady::now(), 200ms));
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
}

// --- the pipeline --------------------------------------------------------------------------

user_sheet importer::open_sheet() const {
    sheet_options o;
    o.rules.action = limits_.action;
    o.rules.default_type = options_.config.type.value_or(1);
    o.columns = options_.config.columns;
    return user_sheet(csv_source::open(options_.csv), std::move(o));
}

bool importer::needs_sending(const std::string& key) const {
    auto it = state_->rows.find(key);
    if (it == state_->rows.end() || it->second.open_intent || !it->second.last)
        return true;
    switch (*it->second.last) {
    case outcome::created:
    case outcome::exists:
        return false;
    case outcome::rejected:
        return options_.config.retry_failed.value_or(false);
    case outcome::invalid: // invalid before, valid now: the sheet was fixed
    case outcome::failed:
        return true;
    }
    return true;
}

std::int64_t importer::count_pending() const {
    if (options_.csv == "-")
        return -1;
    auto sheet = open_sheet();
    std::int64_t n = 0;
    sheet_row row;
    while (sheet.next(row))
        if (row.valid() && needs_sending(email_key(row.user.email)))
            ++n;
    return n;
}

std::vector<std::string> importer::report_cells(const user_sheet& sheet) const {
    std::vector<std::string> cells(sheet.cells().begin(), sheet.cells().end());
    if (auto pw = sheet.layout()[static_cast<std::size_t>(field::password)];
        pw && *pw < cells.size())
        cells[*pw].clear(); // the journal never holds a password
    return cells;
}

std::optional<work_item> importer::next_item() {
    sheet_row row;
    while (!stopping_ && !rows_exhausted_ && sheet_->next(row)) {
        auto cells = report_cells(*sheet_);
        if (!row.valid()) {
            journal_invalid(row, cells);
            continue;
        }
        auto key = email_key(row.user.email);
        if (!needs_sending(key)) {
            ++count_.skipped;
            if (state_->rows.at(key).last == outcome::rejected)
                ++count_.rejected_before;
            continue;
        }
        return work_item{std::move(row.user), row.line, std::move(key), std::move(cells), {}};
    }
    rows_exhausted_ = true;
    return std::nullopt;
}

net::awaitable<void> importer::work() {
    http_session session(io_.get_executor(), tls_, api_);
    // Workers pull rows from the sheet one at a time: the sheet streams, and a row is read
    // only when a worker is free to send it.
    while (!stopping_) {
        auto item = next_item();
        if (!item)
            break;
        co_await process(session, *item);
    }
    co_await session.close();
}

net::awaitable<void> importer::process(http_session& session, work_item& item) {
    const std::string boundary = "zprov-" + std::to_string(rng_()) + std::to_string(rng_());
    auto body = make_user_request(item.user, limits_.action, body_, boundary);
    // --trace shows the body, but never a password.
    std::string traced_body = body.text;
    if (options_.trace && !item.user.password.empty()) {
        const auto secret = nlohmann::json(item.user.password).dump();
        const std::string shown = "\"[redacted]\"";
        for (auto at = traced_body.find(secret); at != std::string::npos;
             at = traced_body.find(secret, at + shown.size()))
            traced_body.replace(at, secret.size(), shown);
    }
    int failures = 0; // attempts that count towards max-attempts (5xx, network)
    int attempts = 0; // requests sent
    int refreshes = 0;
    for (;;) {
        if (!co_await hold_for_pause())
            co_return; // not sent this time: the row stays pending for the next run
        // Connect first: a handshake between the rate limiter's grant and the send would
        // bunch requests up as the server sees them.
        auto result = co_await session.open();
        bool intent_open = false;
        std::string token;
        if (result.ok) {
            // The per-second limit, granted as close to the send as the journal allows.
            for (auto wait = bucket_.try_take(steady::now()); wait != steady::duration::zero();
                 wait = bucket_.try_take(steady::now())) {
                co_await sleep(wait);
                if (stopping_)
                    co_return;
            }
            token = co_await tokens_->token();
            if (stopping_)
                co_return;
            // Checked again with no co_await before the intent: other workers may have
            // spent the last of the day's budget while this one waited.
            if (budget_spent())
                continue;
            journal_intent(item, ++attempts);
            intent_open = true;
            http_call call{"POST", api_.target("/users"), body.content_type, body.text,
                           "Bearer " + token};
            if (options_.trace)
                log(describe_request(api_, call) + "\n" + traced_body);
            result = co_await session.call(call);
            if (result.sent)
                ++count_.requests;
        }

        std::string problem;
        std::optional<zoom_answer> answer;
        verdict what = verdict::retry;
        if (result.ok) {
            answer = read_answer(result.reply.status, result.reply.body,
                                 result.reply.header("X-RateLimit-Type"),
                                 result.reply.header("Retry-After"));
            what = classify(*answer);
            if (options_.trace ||
                (options_.verbose && what != verdict::created && what != verdict::exists))
                log(describe_reply(result.reply) + result.reply.body);
            problem = "HTTP " + std::to_string(answer->status) +
                      (answer->message.empty() ? "" : ": " + answer->message);
        } else {
            problem = result.error;
            if (result.certificate_refused) {
                if (intent_open)
                    journal_settled(item, 0,
                                    result.error); // the handshake failed: nothing was sent
                stop(exit_code::unavailable, result.error);
                co_return;
            }
        }

        switch (what) {
        case verdict::created:
            journal_outcome(item, outcome::created, attempts, &*answer, "");
            consecutive_failed_ = 0;
            co_return;
        case verdict::exists:
            journal_outcome(item, outcome::exists, attempts, &*answer, answer->message);
            consecutive_failed_ = 0;
            co_return;
        case verdict::rejected:
            journal_outcome(item, outcome::rejected, attempts, &*answer, answer->message);
            consecutive_failed_ = 0;
            co_return;
        case verdict::account_refused:
            journal_settled(item, answer->status, problem);
            stop(exit_code::no_permission,
                 "Zoom refused the request for the account, not the row (" + problem +
                     "): check that the app has the user:write:admin scope and the account may "
                     "create users");
            co_return;
        case verdict::refresh_token:
            journal_settled(item, answer->status, problem);
            if (++refreshes > token_refreshes_per_row || !co_await tokens_->refresh(token)) {
                stop(exit_code::no_permission, "Zoom refused the access token (" + problem + ")");
                co_return;
            }
            continue;
        case verdict::daily_limit: {
            journal_settled(item, answer->status, problem);
            auto until = retry_after_time(answer->retry_after, now_utc());
            if (!until || *until <= now_utc())
                until = next_utc_midnight(now_utc());
            record_pause(*until, "Zoom's daily create limit was reached (" + problem + ")");
            continue; // hold_for_pause() stops, or waits with --wait
        }
        case verdict::rate_limited: {
            journal_settled(item, answer->status, problem);
            ++count_.rate_limited;
            bucket_.slow_down(steady::now());
            auto until = retry_after_time(answer->retry_after, now_utc());
            auto delay = until && *until > now_utc()
                             ? std::chrono::duration_cast<steady::duration>(*until - now_utc())
                             : steady::duration(backoff_delay(1, backoff_base, backoff_cap, rng_));
            co_await sleep(std::min<steady::duration>(delay, backoff_cap));
            if (stopping_)
                co_return; // the intent is settled: the row is simply pending
            continue;
        }
        case verdict::retry:
            break;
        }

        // 5xx, a dropped connection, a timeout: the request may or may not have acted.
        if (++failures >= max_attempts_ || stopping_) {
            journal_outcome(item, outcome::failed, attempts, answer ? &*answer : nullptr,
                            stopping_ ? "interrupted after: " + problem : problem);
            if (!stopping_ && ++consecutive_failed_ >= outage_rows)
                stop(exit_code::unavailable, "Zoom unreachable or failing: " + problem);
            co_return;
        }
        if (options_.verbose)
            log("line " + std::to_string(item.line) + ": " + item.user.email + ": " + problem +
                "; retrying");
        co_await sleep(backoff_delay(failures, backoff_base, backoff_cap, rng_));
        if (stopping_) {
            journal_outcome(item, outcome::failed, attempts, answer ? &*answer : nullptr,
                            "interrupted after: " + problem);
            co_return;
        }
    }
}

net::awaitable<void> importer::watch_signals() {
    for (;;) {
        auto [ec, signo] = co_await signals_.async_wait(net::as_tuple(net::use_awaitable));
        if (ec)
            co_return; // cancelled: the run is over
        if (++signals_seen_ >= 2) {
            // The journal is consistent at every record: open intents are resolved next run.
            clear_progress();
            std::cerr << "zprov: stopped at once; rerun the same command to resume\n";
            std::_Exit(to_int(exit_code::paused));
        }
        log(std::string("zprov: ") + (signo == SIGINT ? "interrupted" : "terminated") +
            "; finishing the requests in flight (a second signal stops at once)");
        stop(exit_code::paused, "interrupted");
        grace_.expires_after(interrupt_grace);
        grace_.async_wait([this](boost::system::error_code gec) {
            if (gec || finished_)
                return;
            clear_progress();
            std::cerr << "zprov: requests still in flight after " << interrupt_grace.count()
                      << " s; stopping at once; rerun to resume\n";
            std::_Exit(to_int(exit_code::paused));
        });
    }
}

net::awaitable<void> importer::show_progress() {
    const auto period = progress_live_ ? steady::duration(250ms) : steady::duration(10s);
    while (!finished_) {
        progress_timer_.expires_after(period);
        co_await progress_timer_.async_wait(net::as_tuple(net::use_awaitable));
        if (finished_)
            break;
        if (progress_live_) {
            std::cerr << "\r\033[K" << progress_line() << std::flush;
            progress_shown_ = true;
        } else {
            std::cerr << progress_line() << "\n";
        }
    }
}

json importer::summary_json(exit_code code) const {
    auto elapsed = std::chrono::duration<double>(steady::now() - started_).count();
    auto this_run = to_json(count_);
    this_run.erase("in_doubt"); // every request of this run was answered or settled
    this_run["skipped"] = count_.skipped;
    this_run["rate_limited"] = count_.rate_limited;
    const auto& journal = journal_->summary();
    json s{{"csv", options_.csv},
           {"journal", journal_path_},
           {"exit_code", to_int(code)},
           {"elapsed_seconds", std::round(elapsed * 10) / 10},
           {"requests", count_.requests},
           {"requests_per_second",
            elapsed > 0 ? std::round(count_.requests / elapsed * 10) / 10 : 0.0},
           {"this_run", std::move(this_run)},
           {"journal_totals", to_json(count_outcomes(journal))},
           {"day", utc_day(now_utc())},
           {"creates_today", journal.creates_on(utc_day(now_utc()))},
           {"daily_cap", limits_.daily_cap > 0 ? json(limits_.daily_cap) : json()}};
    const auto* pause = journal.active_pause(now_utc());
    s["paused_until"] = pause ? json(iso8601(pause->until)) : json();
    if (!stop_message_.empty())
        s["stopped_because"] = stop_message_;
    return s;
}

exit_code importer::finish() {
    finished_ = true;
    clear_progress();
    exit_code code = stop_code_;
    if (code == exit_code::ok)
        code = count_.failed > 0 ? exit_code::unavailable
               : (count_.invalid + count_.rejected + count_.rejected_before > 0)
                   ? exit_code::rows_failed
                   : exit_code::ok;
    auto summary = summary_json(code);
    if (!journal_->failed()) // after a failed write, the journal is left as it was cut back
        journal_->append(end_record{iso8601(now_utc()), to_int(code),
                                    summary.dump(-1, ' ', false, json::error_handler_t::replace)});

    auto elapsed = summary["elapsed_seconds"].get<double>();
    std::ostringstream out;
    const bool completed = code == exit_code::ok || code == exit_code::rows_failed;
    out << (completed ? "Done in " : "Stopped after ") << human_duration(elapsed) << ": "
        << count_.created << " created, " << count_.exists << " already existed, "
        << count_.rejected << " rejected, " << count_.failed << " failed, " << count_.invalid
        << " invalid, " << count_.skipped << " done by earlier runs";
    if (count_.requests > 0)
        out << "; " << count_.requests << " requests at "
            << summary["requests_per_second"].get<double>() << "/s";
    if (count_.rate_limited > 0)
        out << " (" << count_.rate_limited << " per-second 429s)";
    std::cerr << out.str() << "\n";
    if (count_.rejected_before > 0)
        std::cerr << count_.rejected_before
                  << " rows of the sheet were rejected by Zoom in earlier runs; fix them and "
                     "rerun with --retry-failed.\n";

    const std::string rerun =
        options_.command_line.empty()
            ? "zprov run " + shell_quote(options_.csv) + " --journal " + shell_quote(journal_path_)
            : options_.command_line;
    const auto* pause = journal_->summary().active_pause(now_utc());
    if (code == exit_code::paused && pause) {
        std::cerr << "Paused: " << pause->reason << ".\n"
                  << "Create requests today (" << summary["day"].get<std::string>()
                  << " UTC): " << summary["creates_today"].get<std::int64_t>() << ". Resume after "
                  << iso8601(pause->until) << " (" << local_time_text(pause->until) << ") with:\n  "
                  << rerun << "\n";
    } else if (code == exit_code::paused) {
        std::cerr << "Stopped (" << stop_message_ << "). Resume with:\n  " << rerun << "\n";
    } else if (!stop_message_.empty()) {
        std::cerr << "Stopped: " << stop_message_ << "\n";
    }
    if (count_.failed > 0 && code == exit_code::unavailable)
        std::cerr << count_.failed
                  << " rows failed after retries; they are sent again by the next run.\n";
    if (count_.invalid + count_.rejected + count_.rejected_before > 0)
        std::cerr << "See the rows that need fixing: zprov report " << shell_quote(journal_path_)
                  << " --failed-only -o fix.csv\n";
    if (auto path = options_.config.summary_json) {
        try {
            write_private_file(*path,
                               summary.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                               {journal_path_, options_.csv});
        } catch (const fatal_error& e) {
            std::cerr << "zprov: cannot write the summary: " << e.what() << "\n";
        }
    }
    return code;
}

net::awaitable<void> importer::pipeline() {
    co_await tokens_->token(); // credentials are checked before any row is sent
    if (total_ != 0 && !co_await hold_for_pause())
        co_return;
    net::steady_timer all_done(io_, steady::time_point::max());
    int running = concurrency_;
    for (int i = 0; i < concurrency_; ++i)
        net::co_spawn(io_, work(), [&](std::exception_ptr e) {
            note_failure(e);
            if (--running == 0)
                all_done.cancel();
        });
    co_await all_done.async_wait(net::as_tuple(net::use_awaitable));
}

void importer::note_failure(std::exception_ptr e) {
    if (!e)
        return;
    try {
        std::rethrow_exception(e);
    } catch (const fatal_error& f) {
        stop(f.code(), f.what());
    } catch (const std::exception& x) {
        stop(exit_code::unavailable, std::string("internal error: ") + x.what());
    }
}

exit_code importer::dry_run() {
    journal_summary empty;
    std::optional<journal_summary> known;
    if (::access(journal_path_.c_str(), F_OK) == 0)
        known = read_journal(journal_path_);
    state_ = known ? &*known : &empty;
    sheet_row row;
    std::int64_t would_send = 0;
    while (sheet_->next(row)) {
        if (!row.valid())
            journal_invalid(row, {});
        else if (needs_sending(email_key(row.user.email)))
            ++would_send;
        else
            ++count_.skipped;
    }
    auto f = forecast_import(would_send, limits_.rate, limits_.daily_cap);
    std::cerr << "Dry run: " << would_send << " rows would be sent, " << count_.invalid
              << " are invalid, " << count_.skipped
              << " were done by earlier runs. Nothing was sent; the journal is untouched.\n";
    if (would_send > 0)
        std::cerr << "At " << limits_.rate << " requests/s that takes about "
                  << human_duration(f.seconds_at_rate)
                  << (limits_.daily_cap > 0
                          ? " over " + std::to_string(f.days_needed) + " UTC day(s)"
                          : "")
                  << ".\n";
    return count_.invalid > 0 ? exit_code::rows_failed : exit_code::ok;
}

exit_code importer::run() {
    if (journal_path_.empty())
        throw fatal_error(exit_code::usage,
                          "reading the CSV from standard input needs --journal FILE");
    if (auto why = check_default_type(options_.config.type.value_or(1), limits_.action))
        throw fatal_error(exit_code::usage, "--type: " + *why);
    const bool dry = options_.config.dry_run.value_or(false);
    std::optional<credentials> creds;
    if (!dry) {
        creds = credentials_from_environment();
        tls_ = make_tls_context(options_.config.ca_file.value_or(""));
        journal_ = std::make_unique<journal_writer>(journal_path_, [](const std::string& m) {
            std::cerr << "zprov: warning: " << m << "\n";
        });
        state_ = &journal_->summary();
    }
    sheet_ = std::make_unique<user_sheet>(open_sheet());
    for (const auto& notice : sheet_->notices())
        std::cerr << sheet_->name() << ": " << notice << "\n";
    if (dry)
        return dry_run();
    total_ = count_pending();

    const auto& plan = limits_of(limits_.plan_id);
    journal_->append(run_record{iso8601(now_utc()), options_.csv, std::string(plan.name),
                                limits_.action, limits_.rate, limits_.daily_cap, sheet_->header(),
                                static_cast<std::int64_t>(::getpid())});
    std::cerr << "Importing " << options_.csv << " (" << plan.title << " plan, "
              << info_of(limits_.action).name << ", " << limits_.rate << " requests/s";
    if (limits_.daily_cap > 0)
        std::cerr << ", " << limits_.daily_cap << " creates per UTC day";
    std::cerr << "): " << (total_ >= 0 ? std::to_string(total_) : std::string("?"))
              << " rows to send\n";

    // auto: a live line on a terminal, a plain line every few seconds otherwise.
    auto mode = options_.config.progress.value_or(progress_mode::automatic);
    progress_live_ = mode == progress_mode::always ||
                     (mode == progress_mode::automatic && ::isatty(STDERR_FILENO) != 0);

    tokens_ = std::make_unique<token_holder>(io_.get_executor(), tls_, oauth_, *creds,
                                             [this](const std::string& m) {
                                                 if (options_.verbose)
                                                     log(m);
                                             });

    net::co_spawn(io_, watch_signals(), net::detached);
    if (mode != progress_mode::never)
        net::co_spawn(io_, show_progress(), net::detached);
    net::co_spawn(io_, pipeline(), [this](std::exception_ptr e) {
        note_failure(e);
        finished_ = true;
        signals_.cancel();
        grace_.cancel();
        progress_timer_.cancel();
    });
    io_.run();
    return finish();
}

} // namespace

exit_code run_import(const import_options& options) {
    net::io_context io;
    importer job(io, options);
    return job.run();
}

} // namespace zprov
