// The options of `zprov run` and `zprov validate`, each declared once: its name (the long
// option and the config key), help, value kind, accepted values, default and the settings
// member it sets. The command line (main.cpp), the config file (settings.cpp), the
// defaults and the help texts all iterate this table. Throws nothing: a value that is not
// accepted leaves the settings unchanged and returns false; callers say where it came from.
#pragma once

#include "zprov/cli/settings.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace zprov {

enum class value_kind { text, flag, integer, number, choice };

// Which commands take an option (a bit set). `status` takes the few that change what it
// shows.
enum command_mask : unsigned { for_run = 1, for_validate = 2, for_both = 3, for_status = 4 };

template <class T>
using setting_of = std::optional<T> settings::*;

using setting_member =
    std::variant<setting_of<std::string>, setting_of<bool>, setting_of<int>,
                 setting_of<std::int64_t>, setting_of<double>, setting_of<plan>,
                 setting_of<create_action>, setting_of<body_format>, setting_of<progress_mode>,
                 setting_of<csv_encoding>, setting_of<csv_delimiter>>;

struct option_spec {
    std::string name;       // "daily-cap": --daily-cap on the command line, the config key
    std::string value_name; // "N", "FILE", "json|multipart"; empty for flags
    std::string help;       // what it does, without the default
    value_kind kind = value_kind::text;
    unsigned commands = for_both; // command_mask bits
    setting_member member;
    double min = 0, max = 0;          // integer, number: the accepted range, both ends included
    std::vector<std::string> choices; // choice: every accepted spelling
    std::string expected;             // "an integer from 1 to 256": for error messages
    std::string default_value;        // spelled as on the command line; empty: see default_note
    std::string default_note;         // a default that depends on other values, for help
    // text: may be given more than once; the values are kept, one per line, in the order
    // given (a config file gives a string or an array of strings).
    bool repeatable = false;
};

std::span<const option_spec> option_table();
const option_spec* find_option(std::string_view name);

// The help line: help text plus the default.
std::string help_with_default(const option_spec& option);

// Sets the option's member from a command-line value (or a default). False, with `s`
// unchanged, when the text is not an accepted value: numbers must be finite and in range.
bool set_from_text(settings& s, const option_spec& option, std::string_view text);
// The same for a config-file value, which must also have the kind's JSON type.
bool set_from_json(settings& s, const option_spec& option, const nlohmann::json& value);

// Whether the option's member is set in `s`; copies it from `top` into `base` if set there.
bool is_set(const settings& s, const option_spec& option);
void take_if_set(settings& base, const settings& top, const option_spec& option);

} // namespace zprov
