// Resolving the settings once: the config file and the command line (settings.hpp) with
// every default of the option table applied, the plan's rate and daily cap filled in and the
// journal's path chosen, as the plain run_config (run/config.hpp). Nothing downstream decides
// a default again (tests/cli/test_resolve.cpp holds the sources to that). Throws nothing but
// std::bad_alloc.
#pragma once

#include "zprov/cli/settings.hpp"
#include "zprov/run/config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace zprov {

// `given` (config file and command line, laid over each other) with every default applied;
// `csv` is the sheet's path ("-": standard input), which the journal's default follows.
run_config resolve(settings given, const std::string& csv);

// The values of a repeatable option (option_spec::repeatable), one per line, empty ones left
// out.
std::vector<std::string> repeated_values(std::string_view lines);

// The journal path for a CSV when --journal is not given.
std::string default_journal_path(const std::string& csv);

} // namespace zprov
