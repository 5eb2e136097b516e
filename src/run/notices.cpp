#include "zprov/run/notices.hpp"

#include "zprov/base/clock.hpp"
#include "zprov/base/event_log.hpp"
#include "zprov/base/text.hpp"
#include "zprov/run/webhook.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace zprov {

namespace {
delivery_settings delivery_of(const run_config& config) {
    return {config.ca_file, config.proxy, std::chrono::seconds(config.notify_timeout)};
}
} // namespace

attention attention_of(const run_counters& count, const stop_reason& stop, exit_code code,
                       const journal_summary& journal) {
    attention a;
    a.invalid = count.invalid;
    a.rejected = count.rejected + count.rejected_before;
    a.elsewhere = count.elsewhere + count.elsewhere_before;
    a.rows = count.problems.first();
    a.rows_digest = count.problems.digest();
    if (code == exit_code::no_permission)
        a.stop = stop.message;
    if (code == exit_code::paused)
        if (const auto* pause = journal.active_pause(now_utc()))
            a.paused_until = iso8601(pause->until);
    return a;
}

void send_notices(const run_config& config, run_journal& journal, const attention& now,
                  exit_code code, const std::string& csv, const std::string& report_command) {
    struct due {
        std::string url, key;
        bool cleared;
    };
    std::vector<due> to_tell;
    std::vector<outgoing_post> posts;
    for (const auto& url : config.notify) {
        const auto key = webhook_key(url);
        std::optional<notified_state> last;
        if (auto it = journal.summary().notified.find(key); it != journal.summary().notified.end())
            last = notified_state{it->second.cleared, it->second.fingerprint};
        const auto cleared = cleared_notice_due(now, code, last);
        if (!cleared)
            continue;
        notice n{*cleared, now, to_int(code), csv, journal.path(), report_command};
        if (n.cleared)
            n.what = attention{};
        posts.push_back(
            {url, "application/json", notice_body(format_for(config.notify_as, url), n)});
        to_tell.push_back({url, key, *cleared});
    }
    if (posts.empty())
        return;
    const auto results = deliver(posts, delivery_of(config));
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& t = to_tell[i];
        const auto shown = shown_url(t.url);
        const std::string what = t.cleared ? "cleared" : "problem";
        if (!results[i].delivered) {
            std::cerr << "zprov: warning: could not notify " << shown << " ("
                      << terminal_safe(results[i].problem) << "); the next run tries again\n";
            continue;
        }
        try {
            journal.notified(t.key, t.cleared, t.cleared ? std::string() : now.fingerprint());
        } catch (const std::exception& e) {
            std::cerr << "zprov: warning: " << shown
                      << " was notified, but the journal could not record it (" << e.what()
                      << "): the next run may notify it again\n";
        }
        if (json_log())
            log_event("notified", {{"webhook", shown}, {"notice", what}});
        else
            std::cerr << (t.cleared ? "Told " + shown + " that the problems have cleared\n"
                                    : "Notified " + shown + " of what needs attention\n");
    }
}

void send_ping(const run_config& config, const std::string& url, const std::string& signal) {
    const auto result = deliver({{url, {}, {}}}, delivery_of(config));
    if (!result.front().delivered)
        std::cerr << "zprov: warning: could not ping " << shown_url(url) << " (" << signal << "; "
                  << terminal_safe(result.front().problem) << ")\n";
    else
        log_event("ping", {{"url", shown_url(url)}, {"signal", signal}});
}

} // namespace zprov
