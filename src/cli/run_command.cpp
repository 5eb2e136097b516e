#include "zprov/cli/run_command.hpp"

#include "zprov/base/event_log.hpp"
#include "zprov/base/text.hpp"
#include "zprov/cli/resolve.hpp"
#include "zprov/net/proxy.hpp"
#include "zprov/run/notices.hpp"
#include "zprov/run/notify.hpp"
#include "zprov/zoom/api.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <sys/stat.h>
#include <utility>

namespace zprov {

namespace {
// Whether the config file at `config` exists and others than its owner can read it.
bool others_can_read(const std::string& config) {
    struct stat st {};
    return !config.empty() && ::stat(config.c_str(), &st) == 0 && (st.st_mode & 0077) != 0;
}
} // namespace

void check_run_settings(const settings& s) {
    if (s.journal && s.journal->empty())
        throw fatal_error(exit_code::usage, "--journal is empty: give the journal's file name (or "
                                            "leave --journal out for the CSV's path + .journal)");
    for (const auto& [option, urls] :
         {std::pair{"--notify", s.notify}, std::pair{"--ping", s.ping}})
        if (urls)
            for (const auto& url : repeated_values(*urls))
                parse_webhook_url(url, option); // throws fatal_error(config), naming no secret
    // An empty --account-id means the app's own account (over a config file's).
    if (s.account_id && !s.account_id->empty() && !zoom_api::path_segment(*s.account_id))
        throw fatal_error(exit_code::config,
                          std::string("--account-id '")
                              .append(terminal_safe(*s.account_id))
                              .append("' is not a sub-account's id (no id is '.' or '..', which "
                                      "would step up a request's path); nothing was sent"));
}

void warn_of_readable_secrets(const settings& s, const std::string& config,
                              const std::map<std::string, std::string>& given,
                              bool proxy_password) {
    // A proxy's password belongs in the environment or in a file only its owner reads.
    constexpr const char* where =
        "give the proxy URL in HTTPS_PROXY, or as \"proxy\" in a config file of mode 0600";
    if (proxy_password)
        std::cerr << "zprov: warning: --proxy holds a password, which other users of this "
                     "machine can see in the process list while zprov starts, and which shell "
                     "histories keep: "
                  << where << "\n";
    if (!given.contains("proxy") && s.proxy && proxy_has_password(*s.proxy) &&
        others_can_read(config))
        std::cerr << "zprov: warning: " << config
                  << " holds the proxy's password and other users can read it: chmod 600 "
                  << shell_quote(config) << "\n";
    // Webhook and ping URLs carry their secrets in their path and query.
    const bool from_config =
        (s.notify && !given.contains("notify")) || (s.ping && !given.contains("ping"));
    if (from_config && others_can_read(config))
        std::cerr << "zprov: warning: " << config
                  << " holds webhook or ping URLs, whose path and query are secrets, and other "
                     "users can read it: chmod 600 "
                  << shell_quote(config) << "\n";
}

exit_code say_ending(const std::exception& e) {
    const auto ending = ending_of(e);
    if (json_log())
        log_event("error", {{"exit_code", to_int(ending.code)}, {"message", ending.message}});
    else
        std::cerr << "zprov: " << ending.message << "\n";
    return ending.code;
}

exit_code pinged_import(const import_options& options) {
    const auto& ping = options.config.ping;
    if (ping.empty() || options.config.dry_run)
        return run_import(options);
    send_ping(options.config, ping_start_url(ping), "start");
    exit_code code = exit_code::ok;
    try {
        code = run_import(options);
    } catch (const std::exception& e) {
        code = say_ending(e);
    }
    send_ping(options.config, ping_end_url(ping, code), ping_success(code) ? "success" : "fail");
    return code;
}

} // namespace zprov
