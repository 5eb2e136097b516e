// zprov: bulk Zoom user provisioning from a spreadsheet. This file parses the command line,
// builds each command's settings and maps errors to the exit codes of exit_codes.hpp.
#include "zprov/exit_codes.hpp"
#include "zprov/settings.hpp"
#include "zprov/validate_command.hpp"

#include <CLI/CLI.hpp>

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

} // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
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
    } catch (const fatal_error& e) {
        std::cerr << "zprov: " << e.what() << "\n";
        return to_int(e.code());
    } catch (const std::exception& e) {
        std::cerr << "zprov: internal error: " << e.what() << "\n";
        return to_int(exit_code::unavailable);
    }
    return to_int(exit_code::usage);
}
