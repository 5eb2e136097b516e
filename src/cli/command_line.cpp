#include "zprov/cli/command_line.hpp"

#include "zprov/base/text.hpp"
#include "zprov/net/proxy.hpp"
#include "zprov/run/notify.hpp"

#include <algorithm>
#include <string_view>

namespace zprov {

namespace {
// Whether argument `i` of `args` is the value of `option` ("--proxy URL"), or the option
// with its value ("--proxy=URL"). Sets `value_at` to where the value starts in the argument.
bool value_of(std::string_view option, const std::vector<std::string>& args, std::size_t i,
              std::size_t& value_at) {
    value_at = option.size() + 1;
    if (args[i].starts_with(std::string(option) + "="))
        return true;
    value_at = 0;
    return i > 1 && args[i - 1] == option;
}

// Where a proxy's password may be.
bool proxy_argument(const std::vector<std::string>& args, std::size_t i, std::size_t& value_at) {
    return value_of("--proxy", args, i, value_at);
}

// Webhook and ping URLs, whose path and query are secrets.
bool secret_url_argument(const std::vector<std::string>& args, std::size_t i,
                         std::size_t& value_at) {
    return value_of("--notify", args, i, value_at) || value_of("--ping", args, i, value_at);
}

// Where a URL's secret part starts: after scheme://host, or the whole text without a scheme.
std::size_t secret_part(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return 0;
    const auto end = url.find_first_of("/?#", scheme + 3);
    return end == std::string_view::npos ? url.size() : end;
}
} // namespace

std::vector<std::string> take_arguments(int argc, char** argv, bool& proxy_password) {
    std::vector<std::string> args(argv, argv + argc);
    std::size_t value_at = 0;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (!proxy_argument(args, i, value_at))
            continue;
        const std::string_view url = std::string_view(args[i]).substr(value_at);
        proxy_password = proxy_password || proxy_has_password(url);
        if (auto span = proxy_user_info(url))
            std::fill_n(argv[i] + value_at + span->offset, span->length, '*');
    }
    for (std::size_t i = 1; i < args.size(); ++i)
        if (secret_url_argument(args, i, value_at)) {
            const auto from = value_at + secret_part(std::string_view(args[i]).substr(value_at));
            std::fill(argv[i] + from, argv[i] + args[i].size(), '*');
        }
    return args;
}

std::string quoted_command_line(const std::vector<std::string>& args) {
    std::string out = "zprov";
    std::size_t value_at = 0;
    for (std::size_t i = 1; i < args.size(); ++i) {
        // Appended piece by piece: g++ 12 warns falsely on " " + a temporary string.
        out += ' ';
        if (proxy_argument(args, i, value_at))
            out += shell_quote(args[i].substr(0, value_at) +
                               redacted_proxy_url(args[i].substr(value_at)));
        else if (secret_url_argument(args, i, value_at))
            out += shell_quote(args[i].substr(0, value_at) + shown_url(args[i].substr(value_at)));
        else
            out += shell_quote(args[i]);
    }
    return out;
}

} // namespace zprov
