// Resolving the settings: the one place besides apply_defaults (settings.cpp) where an unset
// setting is given its value.
#include "zprov/cli/resolve.hpp"

#include <utility>

namespace zprov {

namespace {
// A setting that apply_defaults always sets, taken as it is: where it is read, where it goes.
template <class T>
using taken = std::pair<std::optional<T> settings::*, T run_config::*>;

constexpr taken<int> numbers[] = {
    {&settings::type, &run_config::type},
    {&settings::concurrency, &run_config::concurrency},
    {&settings::max_attempts, &run_config::max_attempts},
    {&settings::stale_after, &run_config::stale_after},
    {&settings::max_reinvites, &run_config::max_reinvites},
    {&settings::notify_timeout, &run_config::notify_timeout},
};
constexpr taken<bool> switches[] = {
    {&settings::wait, &run_config::wait},
    {&settings::wait_for_account, &run_config::wait_for_account},
    {&settings::retry_failed, &run_config::retry_failed},
    {&settings::update_existing, &run_config::update_existing},
    {&settings::clear_pause, &run_config::clear_pause},
    {&settings::dry_run, &run_config::dry_run},
    {&settings::reinvite, &run_config::reinvite},
};

template <class T, std::size_t N>
void take(const settings& s, run_config& c, const taken<T> (&table)[N]) {
    for (const auto& [from, to] : table)
        c.*to = (s.*from).value();
}
} // namespace

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
    take(s, c, numbers);
    take(s, c, switches);
    c.format.encoding = s.encoding.value();
    c.format.delimiter = s.delimiter.value();
    c.journal = s.journal.value_or(csv == "-" ? std::string() : default_journal_path(csv));
    c.base_url = s.base_url.value();
    c.oauth_url = s.oauth_url.value();
    c.proxy = s.proxy;
    c.account_id = s.account_id.value_or("");
    c.ca_file = s.ca_file.value_or("");
    c.summary_json = s.summary_json;
    c.body = s.body.value();
    c.progress = s.progress.value();
    c.notify = repeated_values(s.notify.value_or(""));
    c.notify_as = *parse_notify_format(s.notify_format.value());
    c.ping = s.ping.value_or("");
    c.json_log = s.log_format.value() == "json";
    c.columns = std::move(s.columns);
    return c;
}

} // namespace zprov
