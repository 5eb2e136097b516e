#include "zprov/cli/help.hpp"

#include "zprov/base/exit_codes.hpp"
#include "zprov/base/text.hpp"
#include "zprov/cli/option_table.hpp"
#include "zprov/run/forecast.hpp"
#include "zprov/sheet/fields.hpp"
#include "zprov/sheet/validation.hpp"

#include <algorithm>
#include <initializer_list>

namespace zprov {

namespace {

std::string code_line(exit_code code, std::string_view meaning) {
    auto n = std::to_string(to_int(code));
    return std::string(4 - n.size(), ' ') + n + "  " + std::string(meaning) + "\n";
}

// The table's lines for `codes`, a command's own meaning replacing the table's where given.
std::string exit_codes_of(std::initializer_list<exit_code> codes,
                          std::initializer_list<exit_code_info> own = {}) {
    std::string out = "Exit codes:\n";
    for (const auto& e : exit_code_table()) {
        if (std::find(codes.begin(), codes.end(), e.code) == codes.end())
            continue;
        auto mine = std::find_if(own.begin(), own.end(),
                                 [&e](const exit_code_info& o) { return o.code == e.code; });
        out += code_line(e.code, mine != own.end() ? mine->meaning : e.meaning);
    }
    return out;
}

std::string journal_default() {
    const auto* journal = find_option("journal");
    return "The journal goes beside the CSV unless --journal says otherwise (default: " +
           journal->default_note + ").\n";
}

} // namespace

std::string column_alias_help() {
    std::string out;
    for (const auto& f : field_table())
        out += "  " + std::string(f.name) + ": " + alias_list(f) + "\n";
    return out +
           "Where a sheet has several of a field's columns, each row takes the first that is\n"
           "not empty, in that order (a preferred name, then the first name, then the legal\n"
           "one).\n";
}

std::string plan_help() {
    std::string out = "Plans (--plan):\n";
    for (const auto& p : plan_table())
        out += "  " + std::string(p.name) + " (" + std::string(p.title) +
               "): " + std::to_string(static_cast<int>(p.requests_per_second)) + " requests/s, " +
               with_commas(p.daily_create_cap) + " creates per UTC day (action create)\n";
    return out;
}

std::string overview_help() {
    std::string types;
    for (const auto& t : user_type_table())
        if (!t.deprecated)
            types +=
                (types.empty() ? "" : ", ") + std::to_string(t.number) + "/" + std::string(t.name);
    return "zprov creates Zoom users in bulk from a CSV spreadsheet, as fast as Zoom's\n"
           "rate limits allow, and never loses or double-creates a row.\n\n"
           "The CSV needs an email column; the other fields are optional. Headers match\n"
           "case-insensitively, ignoring spaces, '_' and '-', by field name or alias:\n" +
           column_alias_help() + "A type cell is " + types +
           ".\nZoom's own import template works as is; other columns are ignored with one\n"
           "notice. The encoding (UTF-8, UTF-16 with its byte-order mark, else Windows-1252)\n"
           "and the delimiter (',', ';' or tab) are taken from the file unless --encoding or\n"
           "--delimiter name them; what was taken is said once, and Zoom gets UTF-8.\n"
           "A config file's \"columns\" maps any other header to a field.\n"
           "After a create, one PATCH /users/{id} sets the user's group (a User Group must\n"
           "name a group of the account) and, for users active at once, the profile; users\n"
           "made with action create stay pending, so their profile is kept deferred.\n";
}

std::string run_footer() {
    return "Credentials come from the environment only: " + credential_variables() + ".\n" +
           journal_default() +
           "Every option above can also be given in the --config file, under its long name "
           "without \"--\"; the command line wins.\n" +
           "Nightly runs: --notify tells a webhook once per set of problems (rows to fix, a "
           "stop for the account, the day's cap reached with rows waiting) and once when it "
           "clears; --ping counts exit 0, 1 and 75 as success (1 is --notify's to tell, 75 "
           "resumes by itself) and sends URL/CODE for any other. Only scheme://host/... of "
           "their URLs is ever shown.\n\n" +
           plan_help() + "\n" + exit_code_help();
}

std::string validate_footer() {
    return "validate sends nothing, writes no journal and needs no credentials.\n"
           "Every option above except --config and --json can also be given in the --config "
           "file, under its long name without \"--\"; the command line wins.\n\n" +
           plan_help() + "\n" +
           exit_codes_of({exit_code::ok, exit_code::rows_failed, exit_code::usage, exit_code::data,
                          exit_code::config},
                         {{exit_code::ok, "every row is valid"},
                          {exit_code::rows_failed, "some rows are invalid: each is listed"}});
}

} // namespace zprov
