#include "zprov/run/zoom_answer.hpp"

#include "zprov/base/text.hpp"
#include "zprov/zoom/api.hpp"
#include "zprov/zoom/codes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace zprov {

namespace {
// First match wins.
constexpr std::array verdicts{
    verdict_rule{201, 201, std::nullopt, verdict::created, "user created"},
    verdict_rule{409, 409, std::nullopt, verdict::exists, "email already used (1005)"},
    verdict_rule{400, 499, zoom_code::active_elsewhere, verdict::elsewhere,
                 "active in another account (1009)"},
    // Zoom has sent a missing scope with more than one HTTP status.
    verdict_rule{0, 999, zoom_code::scope_missing, verdict::account_refused, "missing scope"},
    verdict_rule{0, 999, zoom_code::scope_missing_granular, verdict::account_refused,
                 "missing scope"},
    verdict_rule{401, 401, std::nullopt, verdict::refresh_token, "invalid or expired token"},
    verdict_rule{400, 499, zoom_code::invalid_token, verdict::refresh_token,
                 "invalid or expired token (124)"},
    verdict_rule{400, 499, zoom_code::no_privilege, verdict::account_refused, "no privilege (200)"},
    verdict_rule{400, 499, zoom_code::account_not_found, verdict::account_refused,
                 "no such sub-account (2001)"},
    verdict_rule{400, 499, zoom_code::sso_not_enabled, verdict::account_refused, "SSO"},
    verdict_rule{400, 499, zoom_code::sso_not_preprovisioned, verdict::account_refused,
                 "SSO pre-provisioning"},
    verdict_rule{400, 499, zoom_code::cannot_add_users, verdict::account_refused,
                 "cannot add users"},
    verdict_rule{400, 499, zoom_code::no_permission, verdict::account_refused, "no permission"},
    verdict_rule{400, 499, zoom_code::basic_seats_exhausted, verdict::seats_exhausted, "seats"},
    verdict_rule{400, 499, zoom_code::licensed_seats_exhausted, verdict::seats_exhausted, "seats"},
    verdict_rule{400, 499, zoom_code::zoom_one_seats_exhausted, verdict::seats_exhausted, "seats"},
    verdict_rule{400, 499, zoom_code::seats_exhausted, verdict::seats_exhausted, "seats"},
    verdict_rule{403, 403, std::nullopt, verdict::account_refused, "forbidden"},
    verdict_rule{400, 400, zoom_code::invalid_parameter, verdict::client_fault, "malformed body",
                 "should be a valid json object"},
    verdict_rule{429, 429, std::nullopt, verdict::rate_limited, "rate limited"},
    verdict_rule{408, 408, std::nullopt, verdict::retry, "request timeout"},
    verdict_rule{400, 499, std::nullopt, verdict::rejected, "Zoom refused the row"},
    verdict_rule{500, 599, std::nullopt, verdict::retry, "Zoom failing"},
    verdict_rule{0, 999, std::nullopt, verdict::retry, "unexpected answer"},
};

bool mentions_daily(std::string_view text) {
    return ascii_lower(text).find("daily") != std::string::npos;
}
} // namespace

std::span<const verdict_rule> verdict_table() {
    return verdicts;
}

std::string_view name_of(verdict v) {
    switch (v) {
    case verdict::created:
        return "created";
    case verdict::exists:
        return "exists";
    case verdict::elsewhere:
        return "elsewhere";
    case verdict::seats_exhausted:
        return "seats_exhausted";
    case verdict::client_fault:
        return "client_fault";
    case verdict::rejected:
        return "rejected";
    case verdict::refresh_token:
        return "refresh_token";
    case verdict::account_refused:
        return "account_refused";
    case verdict::rate_limited:
        return "rate_limited";
    case verdict::daily_limit:
        return "daily_limit";
    case verdict::done:
        return "done";
    case verdict::connection_refused:
        return "connection_refused";
    case verdict::answer_too_large:
        return "answer_too_large";
    case verdict::retry:
        return "retry";
    }
    return "retry";
}

zoom_answer read_answer(int status, std::string_view body, std::string_view rate_limit_type,
                        std::string_view retry_after) {
    zoom_answer a;
    a.status = status;
    a.rate_limit_type = rate_limit_type;
    a.retry_after = retry_after;
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_discarded() && doc.is_object()) {
        if (auto it = doc.find("code"); it != doc.end() && it->is_number_integer())
            a.code = it->get<int>();
        if (auto it = doc.find("message"); it != doc.end() && it->is_string())
            a.message = it->get<std::string>();
        // The id goes into the paths of later calls: one that cannot be a path segment is
        // no id (and a 201 without an id is not recorded as a success).
        if (auto it = doc.find("id");
            it != doc.end() && it->is_string() && zoom_api::path_segment(it->get<std::string>()))
            a.user_id = it->get<std::string>();
    } else {
        // Not JSON (a proxy's error page, say): keep a short, single-line excerpt.
        std::string excerpt(body.substr(0, 200));
        std::replace_if(
            excerpt.begin(), excerpt.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
        a.message = excerpt;
    }
    return a;
}

verdict classify(const zoom_answer& a) {
    for (const auto& rule : verdicts) {
        if (a.status < rule.status_min || a.status > rule.status_max)
            continue;
        if (rule.code && a.code != rule.code)
            continue;
        if (!rule.message_has.empty() &&
            ascii_lower(a.message).find(rule.message_has) == std::string::npos)
            continue;
        if (rule.what == verdict::created && a.user_id.empty())
            return verdict::retry; // a 201 without an id is not a success we can record
        if (rule.what == verdict::rate_limited &&
            (a.rate_limit_type == zoom_api::daily_limit_type || mentions_daily(a.message)))
            return verdict::daily_limit;
        return rule.what;
    }
    return verdict::retry;
}

std::optional<std::int64_t> read_count(std::string_view value) {
    value = trim(value);
    std::int64_t n = 0;
    auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || err != std::errc{} || end != value.data() + value.size() || n < 0)
        return std::nullopt;
    return n;
}

std::optional<sys_seconds> retry_after_time(std::string_view value, sys_seconds now) {
    value = trim(value);
    if (value.empty())
        return std::nullopt;
    long long secs = 0;
    auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), secs);
    if (err == std::errc{} && end == value.data() + value.size() && secs >= 0)
        return now + std::chrono::seconds(std::min<long long>(secs, 7 * 86400));
    if (auto t = parse_iso8601(value))
        return *t;
    return parse_http_date(value);
}

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, std::mt19937_64& rng) {
    auto ceiling = base.count();
    for (int i = 0; i < attempt && ceiling < cap.count(); ++i)
        ceiling *= 2;
    ceiling = std::min(ceiling, cap.count());
    std::uniform_int_distribution<long long> pick(0, std::max<long long>(ceiling, 0));
    return std::chrono::milliseconds(pick(rng));
}

} // namespace zprov
