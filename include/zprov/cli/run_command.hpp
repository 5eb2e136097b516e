// The `run` command around the import: the checks of its settings that no option's own
// check can judge alone, the warnings of secrets (a proxy's password, webhook and ping URLs)
// that other users can read, and the pings of --ping around the run; with how a command's
// end on an exception is said. check_run_settings throws fatal_error (usage, config); the
// rest throws only std::bad_alloc, but for what run_import throws before its start ping.
#pragma once

#include "zprov/base/exit_codes.hpp"
#include "zprov/cli/settings.hpp"
#include "zprov/run/import.hpp"

#include <exception>
#include <map>
#include <string>

namespace zprov {

// The settings of `run` that no option's own check can judge alone: an empty --journal,
// a --notify or --ping URL that is not one (named without its secret), an --account-id that
// is not a sub-account's id. Throws fatal_error.
void check_run_settings(const settings& s);

// Warns of secrets others can read: a proxy's password typed on the command line
// (`proxy_password`, from take_arguments), or a proxy's password, webhook or ping URLs in a
// config file (`config`, "" for none) that others can read; `given` holds the options typed
// on the command line, which win over the file.
void warn_of_readable_secrets(const settings& s, const std::string& config,
                              const std::map<std::string, std::string>& given, bool proxy_password);

// Says why a command ended on `e` (an error event with --log-format json), and returns the
// exit code it ends with.
exit_code say_ending(const std::exception& e);

// The run, between the pings of --ping (none for a dry run): its start, then its end with
// the exit code, whatever ended it (an exception is said here and becomes the exit code).
exit_code pinged_import(const import_options& options);

} // namespace zprov
