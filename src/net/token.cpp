#include "zprov/net/token.hpp"

#include "zprov/base/exit_codes.hpp"
#include "zprov/base/text.hpp"
#include "zprov/net/asio.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace zprov {

namespace {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

std::string url_encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

constexpr int fetch_attempts = 4;
constexpr std::int64_t default_token_seconds = 3600; // when an answer has no expires_in

// Control characters in a header value would end the header: a token or id that holds
// them is refused, never sent.
bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f;
    });
}

// A string member of an error answer, or "" (whatever type the server chose).
std::string text_field(const nlohmann::json& doc, const char* name) {
    if (!doc.is_object())
        return {};
    auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? terminal_safe(it->get<std::string>()) : "";
}

void refuse_control(const char* name, const std::string& value) {
    if (has_control(value))
        throw fatal_error(exit_code::config,
                          std::string(name) +
                              " holds control characters (a line break pasted with it?); set it "
                              "again");
}

std::string url_of(const endpoint& e) {
    return std::string(e.tls ? "https://" : "http://") + e.host_header + e.path;
}

struct granted {
    std::string token;
    std::chrono::seconds ttl;
    std::optional<std::string> scope;
};

// The token and its lifetime from a 200 answer; throws fatal_error(unavailable) naming
// the token URL when the answer is not what OAuth promises.
granted read_grant(const nlohmann::json& doc, const endpoint& oauth) {
    auto malformed = [&](const std::string& what) {
        return fatal_error(exit_code::unavailable,
                           "the OAuth answer from " + url_of(oauth) + " is malformed: " + what);
    };
    if (!doc.is_object())
        throw malformed("not a JSON object");
    auto token = doc.find("access_token");
    if (token == doc.end() || !token->is_string() || token->get_ref<const std::string&>().empty())
        throw malformed("no \"access_token\" string");
    if (has_control(token->get_ref<const std::string&>()))
        throw malformed("the access_token holds control characters");
    std::int64_t seconds = default_token_seconds;
    if (auto ttl = doc.find("expires_in"); ttl != doc.end()) {
        if (!ttl->is_number_integer() || ttl->get<std::int64_t>() <= 0)
            throw malformed("\"expires_in\" is not a positive number of seconds");
        seconds = ttl->get<std::int64_t>();
    }
    std::optional<std::string> scope;
    if (auto it = doc.find("scope"); it != doc.end() && it->is_string())
        scope = it->get<std::string>();
    return {token->get<std::string>(), std::chrono::seconds(seconds), std::move(scope)};
}
} // namespace

credentials credentials_from_environment() {
    credentials c;
    c.access_token = env("ZOOM_ACCESS_TOKEN");
    c.account_id = env("ZOOM_ACCOUNT_ID");
    c.client_id = env("ZOOM_CLIENT_ID");
    c.client_secret = env("ZOOM_CLIENT_SECRET");
    if (!c.access_token.empty()) {
        refuse_control("ZOOM_ACCESS_TOKEN", c.access_token);
        return c;
    }
    std::string missing;
    for (auto [name, value] :
         {std::pair{"ZOOM_ACCOUNT_ID", &c.account_id}, std::pair{"ZOOM_CLIENT_ID", &c.client_id},
          std::pair{"ZOOM_CLIENT_SECRET", &c.client_secret}})
        if (value->empty())
            missing += std::string(missing.empty() ? "" : ", ") + name;
    if (missing.size() == std::string("ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET").size())
        throw fatal_error(
            exit_code::config,
            "no credentials: set ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and "
            "ZOOM_CLIENT_SECRET (Server-to-Server OAuth) in the environment");
    if (!missing.empty())
        throw fatal_error(exit_code::config, "incomplete Server-to-Server OAuth credentials: " +
                                                 missing + " not set in the environment");
    refuse_control("ZOOM_ACCOUNT_ID", c.account_id);
    refuse_control("ZOOM_CLIENT_ID", c.client_id);
    refuse_control("ZOOM_CLIENT_SECRET", c.client_secret);
    return c;
}

void forget_credentials_environment() {
    for (const char* name :
         {"ZOOM_ACCESS_TOKEN", "ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"}) {
        // The value is overwritten where it lies (the process's initial environment block)
        // as well as unset, so that /proc/PID/environ and memory no longer hold it.
        if (char* value = std::getenv(name))
            ::explicit_bzero(value, std::strlen(value));
        ::unsetenv(name);
    }
}

std::chrono::seconds token_use_time(std::chrono::seconds expires_in) {
    // Refresh 5 minutes before expiry, or at 80 % of a short lifetime.
    auto margin = std::min<std::chrono::seconds>(std::chrono::seconds(300), expires_in / 5);
    return std::max<std::chrono::seconds>(expires_in - margin, std::chrono::seconds(1));
}

struct token_holder::impl {
    impl(net::any_io_executor ex, transport& network, endpoint e, credentials c,
         std::function<void(const std::string&)> l)
        : session(network.connect(
              e, session_timeouts{std::chrono::seconds(10), std::chrono::seconds(20)})),
          oauth(std::move(e)), creds(std::move(c)), log(std::move(l)), done(ex) {}

    std::unique_ptr<connection> session;
    endpoint oauth;
    credentials creds;
    std::function<void(const std::string&)> log;
    std::string current;
    std::chrono::steady_clock::time_point refresh_at{};
    bool fetching = false;
    net::steady_timer done; // waiters park here while one fetch runs
};

token_holder::token_holder(net::any_io_executor executor, transport& network, endpoint oauth,
                           credentials creds, std::function<void(const std::string&)> log)
    : impl_(std::make_unique<impl>(std::move(executor), network, std::move(oauth), std::move(creds),
                                   std::move(log))) {
    if (!impl_->creds.server_to_server())
        impl_->current = impl_->creds.access_token;
}

token_holder::~token_holder() = default;

net::awaitable<void> token_holder::fetch() {
    auto& s = *impl_;
    if (s.fetching) {
        co_await s.done.async_wait(net::as_tuple(net::use_awaitable));
        if (s.current.empty())
            throw fatal_error(exit_code::unavailable, "no OAuth token could be obtained");
        co_return;
    }
    s.fetching = true;
    s.done.expires_at(std::chrono::steady_clock::time_point::max());
    struct reset {
        impl& s;
        ~reset() {
            s.fetching = false;
            s.done.cancel();
        }
    } on_exit{s};

    http_call call;
    call.method = "POST";
    // Once, in the form body, as Zoom's own SDK sends them.
    call.target = s.oauth.target("");
    call.authorization = "Basic " + base64_encode(s.creds.client_id + ":" + s.creds.client_secret);
    call.content_type = "application/x-www-form-urlencoded";
    call.body = "grant_type=account_credentials&account_id=" + url_encode(s.creds.account_id);

    std::string last_error;
    for (int attempt = 0; attempt < fetch_attempts; ++attempt) {
        if (attempt > 0) {
            net::steady_timer pause(s.done.get_executor(),
                                    std::chrono::milliseconds(500 << attempt));
            co_await pause.async_wait(net::as_tuple(net::use_awaitable));
        }
        auto r = co_await s.session->call(call);
        if (!r.ok()) {
            last_error = r.error();
            if (r.failure->proxy_refused())
                throw fatal_error(exit_code::no_permission, last_error);
            if (r.failure->certificate_refused())
                break;
            continue;
        }
        auto doc = nlohmann::json::parse(r.reply.body, nullptr, false);
        if (r.reply.status == 200) {
            auto [token, ttl, scope] = read_grant(doc, s.oauth);
            s.current = std::move(token);
            scopes_ = std::move(scope);
            s.refresh_at = std::chrono::steady_clock::now() + token_use_time(ttl);
            ++grants_;
            s.log("OAuth: new access token, valid " + std::to_string(ttl.count()) + " s");
            co_return;
        }
        std::string reason = text_field(doc, "reason");
        if (reason.empty())
            reason = text_field(doc, "error");
        if (r.reply.status == 400 || r.reply.status == 401 || r.reply.status == 403)
            throw fatal_error(
                exit_code::no_permission,
                "Zoom refused the Server-to-Server OAuth credentials (HTTP " +
                    std::to_string(r.reply.status) + (reason.empty() ? "" : ": " + reason) +
                    "); check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET");
        last_error =
            "HTTP " + std::to_string(r.reply.status) + (reason.empty() ? "" : ": " + reason);
    }
    throw fatal_error(exit_code::unavailable,
                      "cannot get an OAuth token from " + s.oauth.host_header + ": " + last_error);
}

net::awaitable<std::string> token_holder::token() {
    auto& s = *impl_;
    if (s.creds.server_to_server() &&
        (s.current.empty() || std::chrono::steady_clock::now() >= s.refresh_at))
        co_await fetch();
    co_return s.current;
}

net::awaitable<bool> token_holder::refresh(const std::string& rejected) {
    auto& s = *impl_;
    if (!s.creds.server_to_server())
        co_return false;
    if (s.current == rejected || s.current.empty())
        co_await fetch();
    co_return true;
}

} // namespace zprov
