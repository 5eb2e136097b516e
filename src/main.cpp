// zprov: bulk Zoom user provisioning from a spreadsheet. This file parses the command line,
// builds each command's settings and maps errors to the exit codes of exit_codes.hpp.
#include "zprov/base/event_log.hpp"
#include "zprov/base/exit_codes.hpp"
#include "zprov/base/private_file.hpp"
#include "zprov/base/text.hpp"
#include "zprov/cli/command_line.hpp"
#include "zprov/cli/docs.hpp"
#include "zprov/cli/help.hpp"
#include "zprov/cli/option_table.hpp"
#include "zprov/cli/report.hpp"
#include "zprov/cli/resolve.hpp"
#include "zprov/cli/run_command.hpp"
#include "zprov/cli/settings.hpp"
#include "zprov/cli/validate.hpp"
#include "zprov/run/import.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace zprov;

// What zprov does and what the CSV needs, from the fact tables.
const std::string overview = overview_help();

// A command's CSV, config file and the table's options as typed; the command line wins
// over the config file.
struct sheet_args {
    std::string csv;
    std::string config;
    std::map<std::string, std::string> given; // option name -> value as typed
};

CLI::Validator accepts(const option_spec& option) {
    return CLI::Validator(
        [&option](std::string& value) -> std::string {
            settings scratch;
            if (set_from_text(scratch, option, value))
                return {};
            return "expected " + option.expected + ", got " + value;
        },
        "");
}

// Every option of the table that `command` (command_mask) takes, into `given` as typed.
void add_table_options(CLI::App& cmd, unsigned command, std::map<std::string, std::string>& given) {
    for (const auto& option : option_table()) {
        if ((option.commands & command) == 0)
            continue;
        const auto& o = option;
        if (o.repeatable) { // each occurrence takes one value; all are kept, in order
            cmd.add_option_function<std::vector<std::string>>(
                   "--" + o.name,
                   [&given, &o](const std::vector<std::string>& values) {
                       std::string lines;
                       for (const auto& v : values) {
                           lines += lines.empty() ? "" : "\n";
                           lines += v;
                       }
                       given[o.name] = lines;
                   },
                   help_with_default(o))
                ->type_name(o.value_name)
                ->allow_extra_args(false)
                ->check(accepts(o));
            continue;
        }
        if (o.kind == value_kind::flag) {
            cmd.add_flag_function(
                "--" + o.name, [&given, &o](std::int64_t) { given[o.name] = "true"; },
                help_with_default(o));
            continue;
        }
        cmd.add_option_function<std::string>(
               "--" + o.name, [&given, &o](const std::string& v) { given[o.name] = v; },
               help_with_default(o))
            ->type_name(o.value_name)
            ->check(accepts(o));
    }
}

// The CSV, --config and every option of the table that `command` (command_mask) takes.
void add_sheet_options(CLI::App& cmd, unsigned command, sheet_args& args) {
    cmd.add_option("CSV", args.csv,
                   "the spreadsheet as CSV: UTF-8, UTF-16 or Windows-1252, separated by ',', ';' "
                   "or tabs (\"-\" reads standard input)")
        ->required();
    cmd.add_option("--config", args.config,
                   "JSON config file (comments allowed); see config/zprov.example.json. The "
                   "command line wins over it")
        ->type_name("FILE");
    add_table_options(cmd, command, args.given);
}

// The config file (if any) with the command line laid over it, checked; resolve() then
// applies every default, in one place. `before_warnings` runs once the settings are known,
// before any warning about them is printed (it may turn standard error into JSON).
settings gather_settings(const sheet_args& args,
                         const std::function<void(const settings&)>& before_warnings = {}) {
    settings s;
    std::vector<std::string> warnings;
    if (!args.config.empty())
        s = load_config(args.config, [&](const std::string& w) { warnings.push_back(w); });
    settings cli;
    for (const auto& [name, value] : args.given)
        set_from_text(cli, *find_option(name), value); // checked while parsing
    overlay(s, cli);
    if (before_warnings)
        before_warnings(s);
    for (const auto& warning : setting_warnings(s))
        warnings.push_back(warning);
    for (const auto& warning : warnings)
        std::cerr << "zprov: warning: " << warning << "\n";
    return s;
}

int validate_main(const sheet_args& args, bool json) {
    const auto s = resolve(gather_settings(args), args.csv);
    auto sheet = open_sheet(args.csv, s);
    if (!json)
        for (const auto& notice : sheet.notices())
            std::cerr << sheet.name() << ": " << notice << "\n";
    auto report = validate_sheet(sheet, s.limits);
    if (json)
        std::cout << to_json(report) << "\n";
    else
        print_human(std::cout, report);
    return to_int(report.invalid > 0 ? exit_code::rows_failed : exit_code::ok);
}

// Options of `run` that are not settings: how much to log.
struct log_args {
    bool verbose = false, trace = false;
};

int run_main(const sheet_args& args, const log_args& log, const std::vector<std::string>& argv,
             bool proxy_password) {
    import_options options;
    options.command_line = quoted_command_line(argv);
    options.csv = args.csv;
    if (auto format = args.given.find("log-format");
        format != args.given.end() && format->second == "json")
        start_json_log(); // before the config file is read: its errors are events too
    auto given = gather_settings(args, [](const settings& s) {
        if (s.log_format == "json")
            start_json_log();
    });
    check_run_settings(given);
    warn_of_readable_secrets(given, args.config, args.given, proxy_password);
    options.config = resolve(std::move(given), args.csv);
    options.verbose = log.verbose || log.trace;
    options.trace = log.trace;
    return to_int(pinged_import(options));
}

// The commands that read a CSV, and what their command lines hold.
struct csv_commands {
    CLI::App* validate = nullptr;
    sheet_args validate_args;
    bool validate_json = false;
    CLI::App* run = nullptr;
    sheet_args run_args;
    log_args run_log;
};

void add_csv_commands(CLI::App& app, csv_commands& c) {
    c.validate = app.add_subcommand(
        "validate", "check the CSV and forecast the UTC days the import needs; sends nothing");
    add_sheet_options(*c.validate, for_validate, c.validate_args);
    c.validate->add_flag("--json", c.validate_json,
                         "print one JSON object: rows, valid, invalid, errors [{line, field, "
                         "reason}], days_needed, ...");
    c.validate->footer(validate_footer());

    c.run = app.add_subcommand("run",
                               "create the users in CSV; resumes automatically from the journal");
    add_sheet_options(*c.run, for_run, c.run_args);
    c.run->add_flag("-v,--verbose", c.run_log.verbose,
                    "log each row's answer (HTTP status, Zoom code, message)");
    c.run->add_flag("--trace", c.run_log.trace,
                    "also log request and response headers (Authorization redacted)");
    c.run->footer(run_footer());
}

// The process holds the token, the client secret and the CSV's passwords: no core dump may
// keep them, and no other process of the user may read its memory (ptrace, /proc). A
// closed pipe on standard output or error ends the output, not the run: writes then fail
// with EPIPE, which the streams absorb.
void protect_process() {
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    std::signal(SIGPIPE, SIG_IGN);
}

// Runs `print` into `out`; on a terminal the text (which holds Zoom's messages and CSV
// cells) goes through terminal_safe line by line, so that it cannot drive the terminal.
void print_to(std::ostream& out, bool terminal, const std::function<void(std::ostream&)>& print) {
    if (!terminal) {
        print(out);
        return;
    }
    std::ostringstream text;
    print(text);
    std::istringstream lines(text.str());
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        out << terminal_safe(line) << "\n";
    }
}

// "zprov 0.1.0 (commit v0.1.0-12-gabc1234)": the commit is `git describe` when the build
// was configured, "unknown" outside a git checkout.
std::string version_text() {
    return std::string("zprov ") + ZPROV_VERSION + " (commit " + ZPROV_COMMIT + ")";
}

// The commands that read a journal, and what their command lines hold.
struct journal_commands {
    CLI::App* status = nullptr;
    std::string status_journal;
    bool status_json = false;
    std::map<std::string, std::string> status_given; // the table's options, as typed
    CLI::App* report = nullptr;
    std::string report_journal, report_out;
    bool report_failed = false;
    bool report_no_bom = false;
};

void add_journal_commands(CLI::App& app, journal_commands& c) {
    c.status =
        app.add_subcommand("status", "what a journal says: counts, today's budget, pause state");
    c.status->add_option("JOURNAL", c.status_journal, "the journal of a run")->required();
    c.status->add_flag(
        "--json", c.status_json,
        "print one JSON object: created, exists, invalid, rejected, failed, in_doubt, day, "
        "creates_today, daily_cap, paused_until, stale_invitations");
    add_table_options(*c.status, for_status, c.status_given);

    c.report = app.add_subcommand("report", "per-row results of a journal as CSV");
    c.report->add_option("JOURNAL", c.report_journal, "the journal of a run")->required();
    c.report->add_option("-o,--output", c.report_out, "write to FILE instead of standard output")
        ->type_name("FILE");
    c.report->add_flag(
        "--failed-only", c.report_failed,
        "only invalid, rejected and failed rows, in the input's columns, to fix and feed back");
    c.report->add_flag("--no-bom", c.report_no_bom,
                       "no UTF-8 byte-order mark at the start (Excel needs it to read accented "
                       "names right; it is left out on a terminal anyway)");
}

int journal_main(const journal_commands& c) {
    const bool terminal = ::isatty(STDOUT_FILENO) != 0;
    if (c.status->parsed()) {
        settings chosen;
        for (const auto& [name, value] : c.status_given)
            set_from_text(chosen, *find_option(name), value); // checked while parsing
        const int stale_after = resolve(std::move(chosen), c.status_journal).stale_after;
        print_to(std::cout, terminal, [&](std::ostream& o) {
            print_status(o, c.status_journal, c.status_json, stale_after);
        });
        return to_int(exit_code::ok);
    }
    const bool to_file = !c.report_out.empty();
    const bool bom = !c.report_no_bom && (to_file || !terminal);
    auto report = [&](std::ostream& o) { write_report(o, c.report_journal, c.report_failed, bom); };
    if (to_file)
        write_private_file(c.report_out, report, {c.report_journal});
    else
        print_to(std::cout, terminal, report);
    return to_int(exit_code::ok);
}

// Parses the command line; a non-empty result is the exit code to end with at once
// (help, version, or a usage error already explained).
std::optional<int> parse_command_line(CLI::App& app, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
        return std::nullopt;
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
}

} // namespace

int main(int argc, char** argv) {
    protect_process();
    std::ios::sync_with_stdio(false);
    // A file-size limit makes a journal write fail (and the journal is cut back to its last
    // whole record) instead of killing the process mid-record.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{overview, "zprov"};
    app.footer(exit_code_help());
    app.require_subcommand(1);
    app.set_version_flag("--version", version_text());
    csv_commands csv;
    add_csv_commands(app, csv);
    journal_commands journal;
    add_journal_commands(app, journal);

    // The build writes the man page and the bash completion from this very app.
    if (argc == 2 && argv[1] == man_page_flag) {
        std::cout << man_page(app, ZPROV_VERSION);
        return to_int(exit_code::ok);
    }
    if (argc == 2 && argv[1] == bash_completion_flag) {
        std::cout << bash_completion(app);
        return to_int(exit_code::ok);
    }
    bool proxy_password = false;
    const auto args = take_arguments(argc, argv, proxy_password);
    if (auto done = parse_command_line(app, args))
        return *done;
    try {
        if (csv.validate->parsed())
            return validate_main(csv.validate_args, csv.validate_json);
        if (csv.run->parsed())
            return run_main(csv.run_args, csv.run_log, args, proxy_password);
        return journal_main(journal);
    } catch (const std::exception& e) {
        return to_int(say_ending(e));
    }
}
