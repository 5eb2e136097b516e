#include "zprov/cli/docs.hpp"

#include "zprov/cli/option_table.hpp"

#include <CLI/CLI.hpp>

#include <sstream>
#include <vector>

namespace zprov {

namespace {

std::vector<const CLI::App*> commands_of(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App*) { return true; });
}

std::vector<const CLI::Option*> named_options(const CLI::App& command) {
    return command.get_options([](const CLI::Option* o) { return o->nonpositional(); });
}

std::vector<const CLI::Option*> positionals(const CLI::App& command) {
    return command.get_options([](const CLI::Option* o) { return !o->nonpositional(); });
}

bool takes_value(const CLI::Option& o) {
    return o.get_type_size_max() > 0;
}

// "-v, --verbose": every spelling of an option.
std::vector<std::string> spellings(const CLI::Option& o) {
    std::vector<std::string> out;
    for (const auto& s : o.get_snames())
        out.push_back("-" + s);
    for (const auto& l : o.get_lnames())
        out.push_back("--" + l);
    return out;
}

// --- roff ------------------------------------------------------------------------------

std::string roff_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    if (!out.empty() && (out.front() == '.' || out.front() == '\''))
        out.insert(0, "\\&");
    return out;
}

// Help text as roff: paragraphs are filled, indented lines (tables, lists) kept as typed.
std::string roff_text(std::string_view text) {
    std::string out;
    bool verbatim = false;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) {
            out += verbatim ? ".fi\n.PP\n" : ".PP\n";
            verbatim = false;
            continue;
        }
        const bool indented = line.front() == ' ';
        if (indented != verbatim)
            out += indented ? ".nf\n" : ".fi\n";
        verbatim = indented;
        out += roff_escaped(line) + "\n";
    }
    return out + (verbatim ? ".fi\n" : "");
}

std::string roff_usage(const CLI::App& command) {
    std::string out = "\\fBzprov " + command.get_name() + "\\fR";
    for (const auto* p : positionals(command))
        out += " \\fI" + roff_escaped(p->get_name(true)) + "\\fR";
    return out + " [\\fIoptions\\fR]";
}

std::string roff_option(const CLI::Option& o) {
    std::string names;
    for (const auto& s : spellings(o))
        names += (names.empty() ? "" : ", ") + ("\\fB" + roff_escaped(s) + "\\fR");
    if (takes_value(o))
        names += " \\fI" + roff_escaped(o.get_type_name()) + "\\fR";
    return ".TP\n" + names + "\n" + roff_escaped(o.get_description()) + "\n";
}

std::string roff_command(const CLI::App& command) {
    std::string out = ".SS \"zprov " + command.get_name() + "\"\n" + roff_usage(command) +
                      "\n.PP\n" + roff_escaped(command.get_description()) + "\n";
    for (const auto* p : positionals(command))
        out += ".TP\n\\fI" + roff_escaped(p->get_name(true)) + "\\fR\n" +
               roff_escaped(p->get_description()) + "\n";
    for (const auto* o : named_options(command))
        out += roff_option(*o);
    if (!command.get_footer().empty())
        out += ".PP\n" + roff_text(command.get_footer());
    return out;
}

// --- bash ------------------------------------------------------------------------------

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : " ") + w;
    return out;
}

// "a|b|c": words as the alternatives of a `case` pattern.
std::string alternatives(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : "|") + w;
    return out;
}

bool takes_file(const CLI::Option& o) {
    const auto type = o.get_type_name();
    return type == "FILE" || type == "PEM";
}

// The `case $prev` arms of one command: what follows an option that takes a value.
std::string value_arms(const CLI::App& command) {
    std::string choices;
    std::vector<std::string> files, others;
    for (const auto* o : named_options(command)) {
        if (!takes_value(*o))
            continue;
        const auto names = spellings(*o);
        const auto* spec = o->get_lnames().empty() ? nullptr : find_option(o->get_lnames()[0]);
        if (spec != nullptr && spec->kind == value_kind::choice)
            choices += "        " + alternatives(names) + ") COMPREPLY=($(compgen -W '" +
                       joined(spec->choices) + "' -- \"$cur\")); return ;;\n";
        else {
            auto& list = takes_file(*o) ? files : others;
            list.insert(list.end(), names.begin(), names.end());
        }
    }
    std::string out = choices;
    if (!files.empty())
        out += "        " + alternatives(files) + ") _zprov_files; return ;;\n";
    if (!others.empty())
        out += "        " + alternatives(others) + ") COMPREPLY=(); return ;;\n";
    return out;
}

std::string command_arm(const CLI::App& command) {
    std::vector<std::string> options;
    for (const auto* o : named_options(command))
        for (const auto& s : spellings(*o))
            options.push_back(s);
    return "    " + command.get_name() + ")\n        case $prev in\n" + value_arms(command) +
           "        esac\n        if [[ $cur == -* ]]; then\n"
           "            COMPREPLY=($(compgen -W '" +
           joined(options) +
           "' -- \"$cur\"))\n"
           "        else\n            _zprov_files\n        fi ;;\n";
}

} // namespace

std::string man_page(const CLI::App& app, std::string_view version) {
    std::string out = ".\\\" Generated by `zprov " + std::string(man_page_flag) +
                      "` from zprov's own option table and help texts.\n";
    out += ".TH ZPROV 1 \"\" \"zprov " + roff_escaped(version) + "\" \"User Commands\"\n";
    out += ".SH NAME\nzprov \\- bulk Zoom user provisioning from a spreadsheet\n";
    out += ".SH SYNOPSIS\n";
    for (const auto* command : commands_of(app))
        out += roff_usage(*command) + "\n.br\n";
    out += "\\fBzprov\\fR \\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n";
    out += ".SH DESCRIPTION\n" + roff_text(app.get_description());
    out += ".SH COMMANDS\n";
    for (const auto* command : commands_of(app))
        out += roff_command(*command);
    out += ".SH EXIT STATUS\n" + roff_text(app.get_footer());
    return out;
}

std::string bash_completion(const CLI::App& app) {
    std::vector<std::string> commands;
    for (const auto* command : commands_of(app))
        commands.push_back(command->get_name());
    std::string out = "# bash completion for zprov. Generated by `zprov " +
                      std::string(bash_completion_flag) +
                      "` from zprov's own option table.\n"
                      "_zprov_files() {\n"
                      "    compopt -o filenames 2>/dev/null\n"
                      "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
                      "}\n\n"
                      "_zprov() {\n"
                      "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                      "    local command= i\n"
                      "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
                      "        case ${COMP_WORDS[i]} in\n"
                      "        " +
                      alternatives(commands) +
                      ") command=${COMP_WORDS[i]}; break ;;\n"
                      "        esac\n    done\n    case $command in\n";
    for (const auto* command : commands_of(app))
        out += command_arm(*command);
    out += "    *) COMPREPLY=($(compgen -W '" + joined(commands) +
           " --help --version' -- \"$cur\")) ;;\n    esac\n}\n\ncomplete -F _zprov zprov\n";
    return out;
}

} // namespace zprov
