#include "zoomsim/simulator.hpp"

#include "zoomsim/sim_replies.hpp"

#include "zoomsim/ascii.hpp"
#include "zoomsim/form.hpp"
#include "zoomsim/user_rules.hpp"
#include "zprov/zoom/user_info.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <span>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
namespace zoom_api = zprov::zoom_api;

sim_reply oauth_error(int status, std::string_view error, std::string_view reason) {
    return json_reply(status, ordered_json{{"reason", reason}, {"error", error}});
}

// Arrival times GET /_sim/calls keeps per category: enough for any test, bounded for soaks.
constexpr std::size_t max_arrivals = 200000;

// `api_path` is under /v2; a call outside Zoom's table is counted as Light.
zprov::rate_category category_of(std::string_view method, std::string_view api_path) {
    auto category = zoom_api::category_of(method, api_path.substr(zoom_api::version_path.size()));
    return category.value_or(zprov::rate_category::light);
}

std::string category_name(zprov::rate_category c) {
    return std::string(zprov::info_of(c).name);
}

std::int64_t limit_of(std::int64_t given, zprov::plan p, zprov::rate_category c) {
    return given > 0 ? given : static_cast<std::int64_t>(zprov::per_second(p, c));
}

sim_reply rate_limited(const api_error& error, std::string_view type, std::string category) {
    auto reply = error_reply(error);
    reply.headers = {{std::string(zoom_api::rate_limit_category_header), std::move(category)},
                     {std::string(zoom_api::rate_limit_type_header), std::string(type)}};
    return reply;
}

} // namespace

sim_clock sim_clock::real() {
    return {[] { return std::chrono::steady_clock::now(); },
            [] { return std::chrono::system_clock::now(); }};
}

simulator::simulator(sim_options options, sim_clock clock)
    : options_(std::move(options)), clock_(std::move(clock)),
      per_second_{limit_of(options_.qps, options_.plan, zprov::rate_category::light),
                  limit_of(options_.medium_qps, options_.plan, zprov::rate_category::medium)},
      started_(clock_.steady()),
      daily_(options_.daily_cap > 0 ? options_.daily_cap
                                    : zprov::limits_of(options_.plan).daily_create_cap),
      tokens_(options_.access_token, options_.token_ttl, options_.seed ^ 0x70c3e75ULL,
              options_.single_live_token),
      faults_(options_.seed), ids_(options_.seed ^ 0x1d5ULL),
      group_ids_(options_.seed ^ 0x9e0c7ULL), shared_{options_, [this] { return now(); }, ids_,
                                                      elsewhere_, account_stats_},
      own_(shared_, make_groups(options_.groups, group_ids_)) {
    if (options_.scopes.empty())
        options_.scopes = default_scopes;
    for (const auto& email : options_.existing) {
        if (own_.email_taken(email))
            continue;
        new_user record;
        record.email = email;
        own_.add_user(record, false, now() - std::chrono::days{30}); // users from before the test
    }
    for (const auto& email : options_.elsewhere)
        elsewhere_.insert(email_key(email));
    for (const auto& id : options_.sub_accounts)
        if (!sub_accounts_.contains(id))
            sub_accounts_.emplace(
                std::piecewise_construct, std::forward_as_tuple(id),
                std::forward_as_tuple(shared_, make_groups(options_.groups, group_ids_)));
    if (options_.spent_today > 0)
        daily_.spend(today(), options_.spent_today);
    if (!options_.record_path.empty())
        recorder_ = std::make_unique<recorder>(options_.record_path);
}

simulator::~simulator() = default;

void simulator::request_started() {
    std::lock_guard lock(mutex_);
    counts_.max_concurrent = std::max(counts_.max_concurrent, ++counts_.concurrent);
}

void simulator::request_finished() {
    std::lock_guard lock(mutex_);
    --counts_.concurrent;
}

void simulator::connection_opened() {
    std::lock_guard lock(mutex_);
    ++counts_.connections;
}

void simulator::connection_closed_idle() {
    std::lock_guard lock(mutex_);
    ++counts_.connections_closed_idle;
}

utc_time simulator::now() const {
    return clock_.utc() + calendar_offset_;
}

sys_days simulator::today() const {
    return day_of(now()) + std::chrono::days{day_offset_};
}

bool simulator::roll(double probability) {
    if (probability <= 0)
        return false;
    return std::uniform_real_distribution<double>(0.0, 1.0)(faults_) < probability;
}

std::chrono::milliseconds simulator::draw_delay() {
    if (options_.latency.count() <= 0 && options_.jitter.count() <= 0)
        return std::chrono::milliseconds{0};
    auto low = std::max<std::int64_t>(0, (options_.latency - options_.jitter).count());
    auto high = std::max<std::int64_t>(low, (options_.latency + options_.jitter).count());
    return std::chrono::milliseconds{
        std::uniform_int_distribution<std::int64_t>(low, high)(faults_)};
}

sim_reply simulator::handle(const sim_request& request, std::optional<steady_time> arrived) {
    std::lock_guard lock(mutex_);
    auto reply = answer(request, arrived.value_or(clock_.steady()));
    if (recorder_)
        recorder_->record(request, reply);
    return reply;
}

sim_reply simulator::answer(const sim_request& request, steady_time arrived) {
    auto question = request.target.find('?');
    auto path = request.target.substr(0, question);
    auto query = question == std::string_view::npos ? std::string_view{}
                                                    : request.target.substr(question + 1);
    if (path.size() > 1 && path.back() == '/')
        path.remove_suffix(1);

    if (path.starts_with("/_sim/")) {
        auto reply = sim_endpoint(request, path);
        reply.counted = false;
        return reply;
    }

    ++counts_.requests_total;
    sim_reply reply;
    if (path == zoom_api::oauth_token_path)
        reply = oauth(request, query);
    else if (path.starts_with(std::string(zoom_api::version_path) + "/"))
        reply = api(request, path, arrived);
    else
        reply = error_reply(no_such_endpoint(request.method, path));
    if (reply.what == disposition::answer)
        ++status_counts_[reply.status];
    reply.delay = draw_delay();
    return reply;
}

// Zoom's order: the per-second limit, then the token, then the request itself.
sim_reply simulator::api(const sim_request& request, std::string_view path, steady_time now) {
    const auto day = today();
    const auto call =
        zoom_api::find_call(request.method, path.substr(zoom_api::version_path.size()));
    const bool is_create = call && call->call->id == zoom_api::operation::create_user;
    if (is_create && daily_.refused_on(day))
        ++counts_.requests_after_daily_limit;

    seen_.record(now);
    if (auto refused = per_second_refusal(request, path, now))
        return *refused;
    auto token = bearer_token(request.authorization);
    if (!token || !tokens_.accepts(*token, now)) {
        ++counts_.auth_failures;
        return error_reply(invalid_access_token());
    }
    if (roll(options_.fail_rate)) {
        ++counts_.failed_injected;
        return injected_failure();
    }
    if (roll(options_.drop_rate)) {
        ++counts_.dropped;
        return dropped_reply();
    }

    if (auto refused = scope_refusal(request.method, path))
        return *refused;
    auto in = account_of(path);
    if (auto* refused = std::get_if<sim_reply>(&in))
        return std::move(*refused);
    auto [which, tail] = std::get<std::pair<account*, std::string_view>>(in);
    if (auto reply = account_call(request, tail, day, *which))
        return std::move(*reply);
    return error_reply(no_such_endpoint(request.method, path));
}

// Each category has its own window: Medium calls do not spend Light's limit.
std::optional<sim_reply> simulator::per_second_refusal(const sim_request& request,
                                                       std::string_view path, steady_time now) {
    const auto category = category_of(request.method, path);
    const auto at = static_cast<std::size_t>(category);
    seen_by_category_[at].record(now);
    if (auto& arrivals = arrivals_ms_[at]; arrivals.size() < max_arrivals) {
        // In time order: requests on several connections may be handled out of order.
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - started_).count();
        arrivals.insert(std::upper_bound(arrivals.begin(), arrivals.end(), ms), ms);
    }
    if (admitted_[at].try_record(now, per_second_[at]))
        return std::nullopt;
    ++counts_.rate_limited_qps;
    ++rate_limited_by_category_[at];
    return rate_limited(per_second_limited(), zoom_api::per_second_limit_type,
                        category_name(category));
}

sim_reply simulator::injected_failure() {
    static constexpr int statuses[] = {500, 502, 503};
    auto status = statuses[std::uniform_int_distribution<int>(0, 2)(faults_)];
    if (status == 500)
        return json_reply(500, ordered_json{{"code", 500}, {"message", "Internal Server Error"}});
    // What a load balancer in front of the API answers: HTML, not Zoom's JSON.
    sim_reply reply;
    reply.status = status;
    reply.content_type = "text/html";
    reply.body = status == 502 ? "<html><body><h1>502 Bad Gateway</h1></body></html>\n"
                               : "<html><body><h1>503 Service Unavailable</h1></body></html>\n";
    return reply;
}

sim_reply simulator::create_user(const sim_request& request, sys_days day, account& into) {
    auto parsed = parse_create_request(request.content_type, request.body);
    if (const auto* error = std::get_if<api_error>(&parsed))
        return error_reply(*error);
    const auto& wanted = std::get<create_request>(parsed);
    // Refused before the daily count: a refusal for the account creates nothing.
    if (wanted.user.type == zprov::licensed_user_type && options_.licensed_seats >= 0 &&
        account_stats_.licensed >= options_.licensed_seats) {
        ++counts_.seats_refused;
        return error_reply(no_licensed_seats());
    }

    const bool capped = zprov::info_of(wanted.action).daily_capped;
    if (capped && !daily_.try_consume(day))
        return daily_refusal(day);

    if (into.email_taken(wanted.user.email)) {
        ++counts_.conflicts;
        return error_reply(email_already_used(wanted.user.email));
    }
    const auto& made = into.add_user(wanted.user, zprov::info_of(wanted.action).user_pending);
    ++account_stats_.creations_by_email[email_key(made.email)];
    if (roll(options_.commit_drop_rate)) {
        ++counts_.commit_dropped;
        return dropped_reply();
    }
    ++counts_.created;
    auto reply = json_reply(201, ordered_json{{"id", made.id},
                                              {"first_name", made.first_name},
                                              {"last_name", made.last_name},
                                              {"email", made.email},
                                              {"type", made.type}});
    auto location = request.target.substr(0, request.target.find('?'));
    reply.headers.emplace_back("Content-Location", std::string(location) + "/" + made.id);
    if (capped && options_.quota_headers) {
        reply.headers.emplace_back(zoom_api::rate_limit_limit_header, std::to_string(daily_.cap()));
        reply.headers.emplace_back(zoom_api::rate_limit_remaining_header,
                                   std::to_string(daily_.remaining(day)));
    }
    return reply;
}

sim_reply simulator::daily_refusal(sys_days day) {
    daily_.note_refusal(day);
    ++counts_.rate_limited_daily;
    if (options_.bare_daily_429) // only the body says it is the daily limit
        return error_reply(daily_limited(daily_.cap()));
    auto reply =
        rate_limited(daily_limited(daily_.cap()), zoom_api::daily_limit_type,
                     category_name(zoom_api::info_of(zoom_api::operation::create_user).category));
    reply.headers.emplace_back(zoom_api::rate_limit_limit_header, std::to_string(daily_.cap()));
    reply.headers.emplace_back(zoom_api::rate_limit_remaining_header, "0");
    // Retry-After is an ISO date-time, the next 00:00 UTC (FACTS.md, answer codes: 429).
    // Whose clock it is read by is not documented: --past-daily-retry-after models the least
    // helpful plausible answer, a time already past by the client's clock.
    reply.headers.emplace_back(
        zoom_api::retry_after_header,
        midnight_iso(options_.past_daily_retry_after ? day : day + std::chrono::days{1}));
    return reply;
}

sim_reply simulator::oauth(const sim_request& request, std::string_view query) {
    if (request.method != "POST")
        return oauth_error(405, "invalid_request", "Only POST is supported");
    auto fields = parse_urlencoded(query).value_or(form_fields{});
    if (find_field(fields, "grant_type") || find_field(fields, "account_id"))
        ++counts_.oauth_query_fields;
    if (media_type(request.content_type) == "application/x-www-form-urlencoded")
        if (auto body = parse_urlencoded(request.body))
            fields.insert(fields.end(), body->begin(), body->end());

    auto client = basic_auth(request.authorization);
    if (options_.client_id.empty() || !client || client->user != options_.client_id ||
        client->password != options_.client_secret)
        return oauth_error(401, "invalid_client", "Invalid client_id or client_secret");
    auto grant_type = find_field(fields, "grant_type");
    if (!grant_type)
        return oauth_error(400, "invalid_request", "Missing grant_type");
    if (*grant_type != zoom_api::oauth_grant_type)
        return oauth_error(400, "invalid_request", "Unsupported grant_type: " + *grant_type);
    auto account_id = find_field(fields, "account_id");
    if (!account_id)
        return oauth_error(400, "invalid_request", "Missing account_id");
    if (*account_id != options_.account_id)
        return oauth_error(400, "invalid_request", "Invalid account_id: " + *account_id);

    ++counts_.token_grants;
    return json_reply(200, ordered_json{{"access_token", tokens_.grant(clock_.steady())},
                                        {"token_type", "bearer"},
                                        {"expires_in", tokens_.ttl().count()},
                                        {"scope", options_.scopes}});
}

} // namespace zoomsim
