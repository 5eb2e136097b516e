#include "zoomsim/simulator.hpp"

#include "zprov/zoom/user_info.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
namespace zoom_api = zprov::zoom_api;
} // namespace

simulator::simulator(sim_options options, sim_clock clock)
    : options_(std::move(options)), calendar_(std::move(clock)),
      limits_(options_, calendar_.steady(), calendar_.today()), access_(options_),
      faults_(options_), ids_(options_.seed ^ 0x1d5ULL),
      group_ids_(options_.seed ^ 0x9e0c7ULL), users_shared_{options_, calendar_, ids_, elsewhere_,
                                                            user_stats_},
      groups_shared_{options_, calendar_, group_stats_},
      own_(users_shared_, groups_shared_, make_groups(options_.groups, group_ids_)) {
    for (const auto& email : options_.existing) {
        if (own_.users().email_taken(email))
            continue;
        new_user record;
        record.email = email;
        // users from before the test
        own_.users().add_user(record, false, calendar_.now() - std::chrono::days{30});
    }
    for (const auto& email : options_.elsewhere)
        elsewhere_.insert(email_key(email));
    for (const auto& id : options_.sub_accounts)
        if (!sub_accounts_.contains(id))
            sub_accounts_.emplace(std::piecewise_construct, std::forward_as_tuple(id),
                                  std::forward_as_tuple(users_shared_, groups_shared_,
                                                        make_groups(options_.groups, group_ids_)));
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

sim_reply simulator::handle(const sim_request& request, std::optional<steady_time> arrived) {
    std::lock_guard lock(mutex_);
    auto reply = answer(request, arrived.value_or(calendar_.steady()));
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
        auto reply = control(request, path);
        reply.counted = false;
        return reply;
    }

    ++counts_.requests_total;
    sim_reply reply;
    if (path == zoom_api::oauth_token_path)
        reply = access_.oauth(request, query, calendar_.steady());
    else if (path.starts_with(std::string(zoom_api::version_path) + "/"))
        reply = api(request, path, arrived);
    else
        reply = error_reply(no_such_endpoint(request.method, path));
    if (reply.what == disposition::answer)
        ++status_counts_[reply.status];
    reply.delay = faults_.delay();
    return reply;
}

// Zoom's order: the per-second limit, then the token, then the request itself.
sim_reply simulator::api(const sim_request& request, std::string_view path, steady_time now) {
    const auto day = calendar_.today();
    const auto call =
        zoom_api::find_call(request.method, path.substr(zoom_api::version_path.size()));
    if (call && call->call->id == zoom_api::operation::create_user)
        limits_.create_arrived(day);

    if (auto refused = limits_.per_second_refusal(request.method, path, now))
        return std::move(*refused);
    if (auto refused = access_.token_refusal(request.authorization, now))
        return std::move(*refused);
    if (auto fault = faults_.before_call())
        return std::move(*fault);

    if (call) { // else not a call of Zoom's table: answered 404 further on
        ++calls_by_operation_[std::string(call->call->operation_id)];
        if (auto refused = access_.scope_refusal(*call))
            return std::move(*refused);
    }
    auto in = account_of(path);
    if (auto* refused = std::get_if<sim_reply>(&in))
        return std::move(*refused);
    auto [which, tail] = std::get<std::pair<account*, std::string_view>>(in);
    if (request.method == "POST" && tail == zoom_api::users_path)
        return create_user(request, day, *which);
    if (auto reply = which->call(request, tail))
        return std::move(*reply);
    return error_reply(no_such_endpoint(request.method, path));
}

sim_reply simulator::create_user(const sim_request& request, sys_days day, account& into) {
    auto parsed = parse_create_request(request.content_type, request.body);
    if (const auto* error = std::get_if<api_error>(&parsed))
        return error_reply(*error);
    const auto& wanted = std::get<create_request>(parsed);
    // Refused before the daily count: a refusal for the account creates nothing.
    if (wanted.user.type == zprov::licensed_user_type && options_.licensed_seats >= 0 &&
        user_stats_.licensed >= options_.licensed_seats) {
        ++counts_.seats_refused;
        return error_reply(no_licensed_seats());
    }

    const bool capped = zprov::info_of(wanted.action).daily_capped;
    if (capped)
        if (auto refused = limits_.daily_refusal(day))
            return std::move(*refused);

    auto& users = into.users();
    if (users.email_taken(wanted.user.email)) {
        ++counts_.conflicts;
        return error_reply(email_already_used(wanted.user.email));
    }
    const auto& made = users.add_user(wanted.user, zprov::info_of(wanted.action).user_pending);
    ++user_stats_.creations_by_email[email_key(made.email)];
    if (faults_.drop_after_create())
        return dropped_reply();
    ++counts_.created;
    auto reply = json_reply(201, ordered_json{{"id", made.id},
                                              {"first_name", made.first_name},
                                              {"last_name", made.last_name},
                                              {"email", made.email},
                                              {"type", made.type}});
    auto location = request.target.substr(0, request.target.find('?'));
    reply.headers.emplace_back("Content-Location", std::string(location) + "/" + made.id);
    if (capped)
        limits_.add_quota_headers(reply, day);
    return reply;
}

} // namespace zoomsim
