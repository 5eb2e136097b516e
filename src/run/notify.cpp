#include "zprov/run/notify.hpp"

#include "zprov/base/crc32c.hpp"
#include "zprov/net/endpoint.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace zprov {

namespace {

struct format_name {
    notify_format id;
    std::string_view name;
};
constexpr std::array<format_name, 4> format_names{{{notify_format::automatic, "auto"},
                                                   {notify_format::slack, "slack"},
                                                   {notify_format::teams, "teams"},
                                                   {notify_format::json, "json"}}};

// The scheme and the host[:port] of `url`, without any user part; empty when it has no
// scheme.
std::pair<std::string_view, std::string_view> scheme_and_authority(std::string_view url) {
    const auto colon = url.find("://");
    if (colon == std::string_view::npos)
        return {};
    auto scheme = url.substr(0, colon);
    auto rest = url.substr(colon + 3);
    auto authority = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos)
        authority = authority.substr(at + 1);
    return {scheme, authority};
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool host_is_or_under(std::string_view host, std::string_view domain) {
    return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                              host[host.size() - domain.size() - 1] == '.');
}

std::string hex64(std::uint64_t v) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
    return text;
}

std::uint64_t row_digest(const problem_row& r) {
    const std::string text = r.email + '\0' + r.outcome;
    const auto low = crc32c(text);
    const auto high = crc32c(text, 0x9e3779b9u);
    return (static_cast<std::uint64_t>(high) << 32) | low;
}

std::string plural(std::int64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// "3 invalid, 1 rejected by Zoom, 2 of another Zoom account".
std::string counts_text(const attention& a) {
    std::vector<std::string> parts;
    if (a.invalid > 0)
        parts.push_back(std::to_string(a.invalid) + " invalid");
    if (a.rejected > 0)
        parts.push_back(std::to_string(a.rejected) + " rejected by Zoom");
    if (a.elsewhere > 0)
        parts.push_back(std::to_string(a.elsewhere) + " already Zoom users of another account");
    std::string out;
    for (const auto& p : parts) {
        out += out.empty() ? "" : ", ";
        out += p;
    }
    return out;
}

std::string headline(const notice& n) {
    if (n.cleared)
        return "zprov: " + n.csv + " is clear: the problems reported earlier are resolved";
    const auto& a = n.what;
    const auto rows = a.invalid + a.rejected + a.elsewhere;
    std::string text = "zprov: " + n.csv + " needs attention";
    if (rows > 0)
        text += ": " + plural(rows, "row needs", "rows need") + " fixing";
    return text;
}

// The lines after the headline: what to do, the rows, the command.
std::vector<std::string> detail_lines(const notice& n) {
    std::vector<std::string> lines;
    if (n.cleared) {
        lines.push_back("The last run ended " + std::to_string(n.exit_code) +
                        ": every row of the sheet is done.");
        return lines;
    }
    const auto& a = n.what;
    if (!a.stop.empty())
        lines.push_back("Stopped for the account: " + a.stop);
    if (!a.paused_until.empty())
        lines.push_back("The day's create cap is reached with rows still waiting; the next run "
                        "after " +
                        a.paused_until + " goes on.");
    if (const auto counts = counts_text(a); !counts.empty())
        lines.push_back("Rows: " + counts + ".");
    for (const auto& r : a.rows)
        lines.push_back("line " + std::to_string(r.line) + ": " + r.email + ": " + r.outcome +
                        (r.reason.empty() ? "" : ": " + r.reason));
    const auto shown = static_cast<std::int64_t>(a.rows.size());
    if (a.invalid + a.rejected + a.elsewhere > shown)
        lines.push_back("... and " + std::to_string(a.invalid + a.rejected + a.elsewhere - shown) +
                        " more.");
    if (a.invalid + a.rejected + a.elsewhere > 0)
        lines.push_back("All of them: " + n.report_command);
    return lines;
}

nlohmann::json rows_json(const attention& a) {
    auto rows = nlohmann::json::array();
    for (const auto& r : a.rows)
        rows.push_back(
            {{"line", r.line}, {"email", r.email}, {"outcome", r.outcome}, {"reason", r.reason}});
    return rows;
}

constexpr std::size_t slack_section_limit = 3000;

nlohmann::json slack_body(const notice& n) {
    std::string details;
    for (const auto& line : detail_lines(n)) {
        details += details.empty() ? "" : "\n";
        details += line;
    }
    // Slack shows `text` in notifications and where blocks cannot be shown. Sections of plain
    // text: a cell's `<`, `&` or `*` is shown as it is, not as markup; a section holds at most
    // 3,000 characters (a header block only 150, too few for a long path).
    auto section = [](std::string text) {
        if (text.size() > slack_section_limit)
            text = text.substr(0, slack_section_limit - 3) + "...";
        return nlohmann::json{{"type", "section"},
                              {"text", {{"type", "plain_text"}, {"text", std::move(text)}}}};
    };
    return {{"text", message_text(n)}, {"blocks", {section(headline(n)), section(details)}}};
}

nlohmann::json teams_body(const notice& n) {
    auto body = nlohmann::json::array();
    body.push_back({{"type", "TextBlock"},
                    {"text", headline(n)},
                    {"weight", "Bolder"},
                    {"size", "Medium"},
                    {"wrap", true}});
    for (const auto& line : detail_lines(n))
        body.push_back({{"type", "TextBlock"}, {"text", line}, {"wrap", true}});
    nlohmann::json card{{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                        {"type", "AdaptiveCard"},
                        {"version", "1.4"},
                        {"body", std::move(body)}};
    return {{"type", "message"},
            {"attachments",
             {{{"contentType", "application/vnd.microsoft.card.adaptive"},
               {"contentUrl", nullptr},
               {"content", std::move(card)}}}}};
}

nlohmann::json plain_body(const notice& n) {
    const auto& a = n.what;
    return {
        {"source", "zprov"},
        {"event", n.cleared ? "cleared" : "problem"},
        {"csv", n.csv},
        {"journal", n.journal},
        {"exit_code", n.exit_code},
        {"counts", {{"invalid", a.invalid}, {"rejected", a.rejected}, {"elsewhere", a.elsewhere}}},
        {"rows", rows_json(a)},
        {"stopped_because", a.stop.empty() ? nlohmann::json() : nlohmann::json(a.stop)},
        {"paused_until",
         a.paused_until.empty() ? nlohmann::json() : nlohmann::json(a.paused_until)},
        {"report_command", n.report_command},
        {"text", message_text(n)}};
}

// `url` with `suffix` added to its path, before any query.
std::string with_path_suffix(std::string_view url, std::string_view suffix) {
    const auto query = url.find('?');
    std::string base(url.substr(0, query));
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    std::string out = base + "/" + std::string(suffix);
    if (query != std::string_view::npos)
        out += url.substr(query);
    return out;
}

} // namespace

std::vector<std::string> notify_format_names() {
    std::vector<std::string> out;
    for (const auto& f : format_names)
        out.emplace_back(f.name);
    return out;
}

std::optional<notify_format> parse_notify_format(std::string_view name) {
    for (const auto& f : format_names)
        if (f.name == name)
            return f.id;
    return std::nullopt;
}

std::string_view name_of(notify_format f) {
    for (const auto& n : format_names)
        if (n.id == f)
            return n.name;
    return "auto";
}

webhook_url parse_webhook_url(std::string_view url, std::string_view option) {
    const auto [scheme, authority] = scheme_and_authority(url);
    const std::string shown = shown_url(url);
    auto fail = [&](const std::string& why) -> webhook_url {
        throw fatal_error(exit_code::config, std::string(option) + " " + shown + ": " + why);
    };
    if (scheme.empty())
        return fail("expected an https:// URL");
    const auto rest = url.substr(url.find("://") + 3);
    const auto authority_end = rest.find_first_of("/?#");
    if (rest.substr(0, authority_end).find('@') != std::string_view::npos)
        return fail("a user part (user:password@) is not allowed");
    if (url.find('#') != std::string_view::npos)
        return fail("a fragment (#...) is not allowed");
    for (unsigned char c : url)
        if (c <= ' ' || c == 0x7f)
            return fail("a URL holds no spaces or control characters");
    webhook_url w;
    w.origin = std::string(scheme) + "://" + std::string(authority);
    parse_endpoint(w.origin, option); // checks the scheme, the host and the port
    w.target =
        authority_end == std::string_view::npos ? "/" : std::string(rest.substr(authority_end));
    if (w.target.front() == '?')
        w.target.insert(w.target.begin(), '/');
    return w;
}

std::string shown_url(std::string_view url) {
    const auto [scheme, authority] = scheme_and_authority(url);
    if (scheme.empty())
        return "(a URL without a scheme)";
    return std::string(scheme) + "://" + std::string(authority) + "/…";
}

notify_format format_for(notify_format chosen, std::string_view url) {
    if (chosen != notify_format::automatic)
        return chosen;
    auto host = lower(scheme_and_authority(url).second);
    if (const auto colon = host.rfind(':'); colon != std::string::npos && host.front() != '[')
        host.erase(colon);
    if (host_is_or_under(host, "hooks.slack.com"))
        return notify_format::slack;
    if (host_is_or_under(host, "webhook.office.com") || host_is_or_under(host, "logic.azure.com"))
        return notify_format::teams;
    return notify_format::json;
}

std::string webhook_key(std::string_view url) {
    char text[9];
    std::snprintf(text, sizeof text, "%08x", crc32c(url));
    return text;
}

void problem_rows::add(problem_row row) {
    ++count_;
    digest_ += row_digest(row);
    auto at =
        std::upper_bound(first_.begin(), first_.end(), row.line,
                         [](std::uint32_t line, const problem_row& r) { return line < r.line; });
    if (first_.size() < kept || at != first_.end()) {
        first_.insert(at, std::move(row));
        if (first_.size() > kept)
            first_.pop_back();
    }
}

bool attention::any() const {
    return invalid + rejected + elsewhere > 0 || !stop.empty() || !paused_until.empty();
}

std::string attention::fingerprint() const {
    if (!any())
        return {};
    return "rows:" + std::to_string(invalid) + "/" + std::to_string(rejected) + "/" +
           std::to_string(elsewhere) + "/" + hex64(rows_digest) + ";stop:" + hex64(crc32c(stop)) +
           ";paused:" + paused_until;
}

std::optional<bool> cleared_notice_due(const attention& now, exit_code code,
                                       const std::optional<notified_state>& last) {
    if (now.any()) {
        if (last && !last->cleared && last->fingerprint == now.fingerprint())
            return std::nullopt; // told already
        return false;
    }
    if (code == exit_code::ok && last && !last->cleared)
        return true;
    return std::nullopt;
}

std::string message_text(const notice& n) {
    std::string text = headline(n) + ".";
    for (const auto& line : detail_lines(n))
        text += "\n" + line;
    return text;
}

std::string notice_body(notify_format format, const notice& n) {
    nlohmann::json body;
    switch (format) {
    case notify_format::slack:
        body = slack_body(n);
        break;
    case notify_format::teams:
        body = teams_body(n);
        break;
    case notify_format::automatic:
    case notify_format::json:
        body = plain_body(n);
        break;
    }
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool ping_success(exit_code code) {
    return code == exit_code::ok || code == exit_code::rows_failed || code == exit_code::paused;
}

std::string ping_start_url(std::string_view url) {
    return with_path_suffix(url, "start");
}

std::string ping_end_url(std::string_view url, exit_code code) {
    if (ping_success(code))
        return std::string(url);
    return with_path_suffix(url, std::to_string(to_int(code)));
}

} // namespace zprov
