// Resolving the settings: the one place besides apply_defaults (settings.cpp) where an unset
// setting is given its value.
#include "zprov/cli/resolve.hpp"

#include <utility>

namespace zprov {

std::vector<std::string> repeated_values(std::string_view lines) {
    std::vector<std::string> out;
    while (!lines.empty()) {
        const auto end = lines.find('\n');
        if (const auto value = lines.substr(0, end); !value.empty())
            out.emplace_back(value);
        lines = end == std::string_view::npos ? std::string_view() : lines.substr(end + 1);
    }
    return out;
}

std::string default_journal_path(const std::string& csv) {
    return csv + ".journal";
}

run_config resolve(settings s, const std::string& csv) {
    apply_defaults(s); // the option table's defaults, the plan's rate and cap
    run_config c;
    c.limits = resolve_limits(s);
    c.type = s.type.value();
    c.format.encoding = s.encoding.value();
    c.format.delimiter = s.delimiter.value();
    c.journal = s.journal.value_or(csv == "-" ? std::string() : default_journal_path(csv));
    c.base_url = s.base_url.value();
    c.oauth_url = s.oauth_url.value();
    c.proxy = s.proxy;
    c.account_id = s.account_id.value_or("");
    c.ca_file = s.ca_file.value_or("");
    c.summary_json = s.summary_json;
    c.concurrency = s.concurrency.value();
    c.max_attempts = s.max_attempts.value();
    c.stale_after = s.stale_after.value();
    c.max_reinvites = s.max_reinvites.value();
    c.body = s.body.value();
    c.progress = s.progress.value();
    c.wait = s.wait.value();
    c.wait_for_account = s.wait_for_account.value();
    c.retry_failed = s.retry_failed.value();
    c.update_existing = s.update_existing.value();
    c.clear_pause = s.clear_pause.value();
    c.dry_run = s.dry_run.value();
    c.reinvite = s.reinvite.value();
    c.notify = repeated_values(s.notify.value_or(""));
    c.notify_as = *parse_notify_format(s.notify_format.value());
    c.notify_timeout = s.notify_timeout.value();
    c.ping = s.ping.value_or("");
    c.json_log = s.log_format.value() == "json";
    c.columns = std::move(s.columns);
    return c;
}

} // namespace zprov
