// The command line as typed, made safe to show: a proxy's user part (its password) is
// overwritten in the process's own argument list, which other local users can read (ps,
// /proc/PID/cmdline), and left out where the command line is echoed ("Resume with:").
// The path and query of a --notify or --ping URL (a webhook's secret) are treated alike:
// overwritten in the process's arguments, shown as scheme://host/... where echoed.
// Throws nothing but std::bad_alloc.
#pragma once

#include <string>
#include <vector>

namespace zprov {

// The arguments as given (argv[0] first), for parsing; in `argv` itself the user part of each
// --proxy URL ("--proxy URL" or "--proxy=URL") is overwritten with '*'. `proxy_password`
// is set when one held a password.
std::vector<std::string> take_arguments(int argc, char** argv, bool& proxy_password);

// The command as typed (`args` from take_arguments), quoted for a shell, "zprov" first:
// what to run again to resume. A --proxy URL's user part is written "***".
std::string quoted_command_line(const std::vector<std::string>& args);

} // namespace zprov
