// What is generated from the command line's own description (the CLI11 app that main.cpp
// builds from the option table and the help texts of help.hpp): the man page
// zprov(1) and the bash completion. The build runs `zprov` to write both, so that neither
// can drift from --help. Throws nothing.
#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace zprov {

// Hidden arguments of `zprov` that print a generated file and exit.
inline constexpr std::string_view man_page_flag = "--generate-man-page";
inline constexpr std::string_view bash_completion_flag = "--generate-bash-completion";

// zprov(1) in roff (man(7) macros): every command, its arguments and options with the help
// texts and footers of --help. `version` goes into the page's footer.
std::string man_page(const CLI::App& app, std::string_view version);

// A bash completion script for `zprov`: the commands, each command's options, the
// accepted values of choice options (from the option table) and file names where an
// option or argument takes a file.
std::string bash_completion(const CLI::App& app);

} // namespace zprov
