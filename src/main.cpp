// zprov: bulk Zoom user provisioning from a spreadsheet. This file parses the command line,
// builds each command's settings and maps errors to the exit codes of exit_codes.hpp.
#include "zprov/exit_codes.hpp"
#include "zprov/import.hpp"
#include "zprov/journal_report.hpp"
#include "zprov/private_file.hpp"
#include "zprov/settings.hpp"
#include "zprov/text.hpp"
#include "zprov/validate_command.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

namespace {

using namespace zprov;

constexpr const char* overview =
    R"(zprov creates Zoom users in bulk from a CSV spreadsheet, as fast as Zoom's
rate limits allow, and never loses or double-creates a row.

The CSV needs an email column; first_name, last_name, display_name, type and
password columns are optional. Headers match case-insensitively, ignoring
spaces, '_' and '-', with aliases (Email Address, E-mail, Work Email, Given
Name, Surname, Family Name, User Type, License Type, ...). Zoom's own import
template works as is; other columns are ignored with one notice.
)";

// Options shared by the commands that read a CSV; CLI values land in `cli` and win over
// the config file.
struct sheet_args {
    std::string csv;
    std::string config;
    std::string plan_name;
    std::string action_name;
    int type = 0;
    double rate = 0;
    std::int64_t daily_cap = 0;
};

void add_sheet_options(CLI::App& cmd, sheet_args& args) {
    cmd.add_option("CSV", args.csv, "the spreadsheet, as CSV UTF-8 (\"-\" reads standard input)")
        ->required();
    cmd.add_option("--config", args.config,
                   "JSON config file (comments allowed); see config/zprov.example.json. The "
                   "command line wins over it");
    cmd.add_option("--plan", args.plan_name,
                   "the Zoom account's plan: sets the per-second limit and daily create cap "
                   "(default pro)")
        ->check(CLI::IsMember({"free", "pro", "business"}));
    cmd.add_option("--action", args.action_name,
                   "how users are created: create (they get an activation email; daily-capped), "
                   "autoCreate, custCreate or ssoCreate (default create)")
        ->check(CLI::IsMember({"create", "autoCreate", "custCreate", "ssoCreate"}));
    cmd.add_option("--type", args.type,
                   "user type where the CSV has no type column or an empty cell: 1 Basic, 2 "
                   "Licensed, 4 Unassigned, 99 None (ssoCreate only); default 1")
        ->check(CLI::IsMember({1, 2, 4, 99}));
    cmd.add_option("--rate", args.rate, "requests per second (default: the plan's limit)")
        ->check(CLI::Range(0.01, setting_limits::rate_max));
    cmd.add_option("--daily-cap", args.daily_cap,
                   "creates per UTC day for action create (default: the plan's cap)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}));
}

// Options only `run` takes.
struct run_args {
    std::string journal, base_url, oauth_url, ca_file, body, summary_json, progress;
    int concurrency = 0, max_attempts = 0;
    bool wait = false, retry_failed = false, dry_run = false, verbose = false, trace = false;
};

void add_run_options(CLI::App& cmd, run_args& args) {
    cmd.add_option(
        "--journal", args.journal,
        "the journal recording every row's outcome (default: CSV + \".journal\"); reruns with "
        "the same journal resume where the last run stopped");
    cmd.add_option("--base-url", args.base_url,
                   "Zoom API base URL (default https://api.zoom.us/v2)");
    cmd.add_option("--oauth-url", args.oauth_url,
                   "Server-to-Server OAuth token URL (default https://zoom.us/oauth/token)");
    cmd.add_option(
        "--ca-file", args.ca_file,
        "extra CA certificates (PEM) to trust besides the system store; verification is always on");
    cmd.add_option("--concurrency", args.concurrency,
                   "parallel connections (default 16: enough for 80/s at 150 ms round trips)")
        ->check(CLI::Range(setting_limits::concurrency_min, setting_limits::concurrency_max));
    cmd.add_option(
           "--max-attempts", args.max_attempts,
           "attempts per row on network errors and 5xx before it is marked failed (default 5)")
        ->check(CLI::Range(setting_limits::max_attempts_min, setting_limits::max_attempts_max));
    cmd.add_option("--body", args.body, "request body: json (default) or multipart (form-data)")
        ->check(CLI::IsMember({"json", "multipart"}));
    cmd.add_flag(
        "--wait", args.wait,
        "at the daily cap, sleep until it resets (00:00 UTC) and go on, instead of exiting 75");
    cmd.add_flag("--retry-failed", args.retry_failed,
                 "send rows Zoom rejected in earlier runs again");
    cmd.add_flag("--dry-run", args.dry_run,
                 "read and check everything; send nothing, journal nothing");
    cmd.add_option("--summary-json", args.summary_json,
                   "also write the end-of-run summary as JSON to FILE");
    cmd.add_option(
           "--progress", args.progress,
           "auto (live line on a terminal, a plain line every 10 s otherwise), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    cmd.add_flag("-v,--verbose", args.verbose,
                 "log each row's answer (HTTP status, Zoom code, message)");
    cmd.add_flag("--trace", args.trace,
                 "also log request and response headers (Authorization redacted)");
}

void overlay_run_args(const CLI::App& cmd, const run_args& a, settings& s) {
    settings cli;
    if (cmd.count("--journal"))
        cli.journal = a.journal;
    if (cmd.count("--base-url"))
        cli.base_url = a.base_url;
    if (cmd.count("--oauth-url"))
        cli.oauth_url = a.oauth_url;
    if (cmd.count("--ca-file"))
        cli.ca_file = a.ca_file;
    if (cmd.count("--concurrency"))
        cli.concurrency = a.concurrency;
    if (cmd.count("--max-attempts"))
        cli.max_attempts = a.max_attempts;
    if (cmd.count("--body"))
        cli.body = parse_body_format(a.body);
    if (cmd.count("--wait"))
        cli.wait = true;
    if (cmd.count("--retry-failed"))
        cli.retry_failed = true;
    if (cmd.count("--dry-run"))
        cli.dry_run = true;
    if (cmd.count("--summary-json"))
        cli.summary_json = a.summary_json;
    if (cmd.count("--progress"))
        cli.progress = parse_progress_mode(a.progress);
    overlay(s, cli);
}

// The config file (if any) with the command line laid over it.
settings gather_settings(const CLI::App& cmd, const sheet_args& args) {
    settings s;
    if (!args.config.empty())
        s = load_config(args.config);
    settings cli;
    if (cmd.count("--plan"))
        cli.plan_id = parse_plan(args.plan_name);
    if (cmd.count("--action"))
        cli.action = parse_action(args.action_name);
    if (cmd.count("--type"))
        cli.type = args.type;
    if (cmd.count("--rate"))
        cli.rate = args.rate;
    if (cmd.count("--daily-cap"))
        cli.daily_cap = args.daily_cap;
    overlay(s, cli);
    if (auto why = check_default_type(s.type.value_or(1), s.action.value_or(create_action::create)))
        throw fatal_error(cmd.count("--type") ? exit_code::usage : exit_code::config,
                          "--type " + std::to_string(s.type.value_or(1)) + ": " + *why);
    return s;
}

user_sheet open_sheet(const std::string& csv, const settings& s) {
    sheet_options options;
    options.rules.action = s.action.value_or(create_action::create);
    options.rules.default_type = s.type.value_or(1);
    options.columns = s.columns;
    return user_sheet(csv_source::open(csv), std::move(options));
}

int validate_main(const CLI::App& cmd, const sheet_args& args, bool json) {
    auto s = gather_settings(cmd, args);
    auto sheet = open_sheet(args.csv, s);
    if (!json)
        for (const auto& notice : sheet.notices())
            std::cerr << sheet.name() << ": " << notice << "\n";
    auto report = validate_sheet(sheet, resolve_limits(s));
    if (json)
        std::cout << to_json(report) << "\n";
    else
        print_human(std::cout, report);
    return to_int(report.invalid > 0 ? exit_code::rows_failed : exit_code::ok);
}

// The command as typed, quoted for a shell: what to run again to resume.
std::string quoted_command_line(int argc, char** argv) {
    std::string out = "zprov";
    for (int i = 1; i < argc; ++i)
        out += " " + shell_quote(argv[i]);
    return out;
}

int run_main(const CLI::App& cmd, const sheet_args& args, const run_args& extra,
             const std::string& command_line) {
    import_options options;
    options.command_line = command_line;
    options.csv = args.csv;
    options.config = gather_settings(cmd, args);
    overlay_run_args(cmd, extra, options.config);
    options.verbose = extra.verbose || extra.trace;
    options.trace = extra.trace;
    return to_int(run_import(options));
}

} // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    // A file-size limit makes a journal write fail (and the journal is cut back to its last
    // whole record) instead of killing the process mid-record.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{overview, "zprov"};
    app.footer(exit_code_help());
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("zprov ") + ZPROV_VERSION);

    sheet_args validate_args;
    bool validate_json = false;
    auto* validate = app.add_subcommand(
        "validate", "check the CSV and forecast the UTC days the import needs; sends nothing");
    add_sheet_options(*validate, validate_args);
    validate->add_flag("--json", validate_json,
                       "print one JSON object: rows, valid, invalid, errors [{line, field, "
                       "reason}], days_needed, ...");
    validate->footer("Exit codes: 0 every row is valid, 1 some rows are invalid, 64 usage error, "
                     "65 the CSV is unusable, 78 configuration error.");

    sheet_args run_sheet;
    run_args run_extra;
    auto* run = app.add_subcommand(
        "run", "create the users in CSV; resumes automatically from the journal");
    add_sheet_options(*run, run_sheet);
    add_run_options(*run, run_extra);
    run->footer(
        "Credentials come from the environment only: ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, "
        "ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (Server-to-Server OAuth).\n\n" +
        exit_code_help());

    std::string status_journal;
    bool status_json = false;
    auto* status =
        app.add_subcommand("status", "what a journal says: counts, today's budget, pause state");
    status->add_option("JOURNAL", status_journal, "the journal of a run")->required();
    status->add_flag(
        "--json", status_json,
        "print one JSON object: created, exists, invalid, rejected, failed, in_doubt, day, "
        "creates_today, daily_cap, paused_until");

    std::string report_journal, report_out;
    bool report_failed = false;
    auto* report = app.add_subcommand("report", "per-row results of a journal as CSV");
    report->add_option("JOURNAL", report_journal, "the journal of a run")->required();
    report->add_option("-o,--output", report_out, "write to FILE instead of standard output");
    report->add_flag(
        "--failed-only", report_failed,
        "only invalid, rejected and failed rows, in the input's columns, to fix and feed back");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        std::cerr << "Run 'zprov --help' for usage.\n";
        return to_int(exit_code::usage);
    }

    try {
        if (validate->parsed())
            return validate_main(*validate, validate_args, validate_json);
        if (run->parsed())
            return run_main(*run, run_sheet, run_extra, quoted_command_line(argc, argv));
        if (status->parsed()) {
            print_status(std::cout, status_journal, status_json);
            return to_int(exit_code::ok);
        }
        if (report->parsed()) {
            if (report_out.empty()) {
                write_report(std::cout, report_journal, report_failed);
            } else {
                write_private_file(
                    report_out,
                    [&](std::ostream& out) { write_report(out, report_journal, report_failed); },
                    {report_journal});
            }
            return to_int(exit_code::ok);
        }
    } catch (const fatal_error& e) {
        std::cerr << "zprov: " << e.what() << "\n";
        return to_int(e.code());
    } catch (const std::exception& e) {
        std::cerr << "zprov: internal error: " << e.what() << "\n";
        return to_int(exit_code::unavailable);
    }
    return to_int(exit_code::usage);
}
