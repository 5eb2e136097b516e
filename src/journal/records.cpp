#include "zprov/journal/records.hpp"

#include "zprov/base/crc32c.hpp"
#include "zprov/base/name_table.hpp"
#include "zprov/base/utf8.hpp"
#include "zprov/journal/line.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>

namespace zprov {

namespace json = boost::json;

namespace {
constexpr std::array outcomes{
    outcome_info{outcome::created, "created", true, false},
    outcome_info{outcome::exists, "exists", true, false},
    outcome_info{outcome::invalid, "invalid", true, true},
    outcome_info{outcome::rejected, "rejected", true, true},
    outcome_info{outcome::failed, "failed", false, true},
    outcome_info{outcome::elsewhere, "elsewhere", true, true},
};

constexpr std::array step_dues{id_name<step_due>{step_due::none, "none"},
                               id_name<step_due>{step_due::owed, "owed"},
                               id_name<step_due>{step_due::deferred, "deferred"}};
constexpr std::array step_phases{id_name<step_phase>{step_phase::intent, "intent"},
                                 id_name<step_phase>{step_phase::done, "done"},
                                 id_name<step_phase>{step_phase::failed, "failed"}};
constexpr std::array reinvite_phases{id_name<reinvite_phase>{reinvite_phase::intent, "intent"},
                                     id_name<reinvite_phase>{reinvite_phase::deleted, "deleted"},
                                     id_name<reinvite_phase>{reinvite_phase::gone, "gone"},
                                     id_name<reinvite_phase>{reinvite_phase::failed, "failed"}};
constexpr std::array zoom_states{id_name<zoom_state>{zoom_state::unknown, "unknown"},
                                 id_name<zoom_state>{zoom_state::pending, "pending"},
                                 id_name<zoom_state>{zoom_state::active, "active"},
                                 id_name<zoom_state>{zoom_state::gone, "gone"},
                                 id_name<zoom_state>{zoom_state::expired, "expired"}};
} // namespace

std::string_view name_of(zoom_state z) {
    return row_with(zoom_states, z).name;
}
std::optional<zoom_state> parse_zoom_state(std::string_view name) {
    return id_named(zoom_states, name);
}

std::string_view name_of(reinvite_phase p) {
    return row_with(reinvite_phases, p).name;
}
std::optional<reinvite_phase> parse_reinvite_phase(std::string_view name) {
    return id_named(reinvite_phases, name);
}

std::uint32_t step_digest(std::span<const std::string_view> parts) {
    std::string text;
    for (auto part : parts) {
        text += part;
        text += '\0';
    }
    const auto digest = crc32c(text);
    return digest == 0 ? 1 : digest;
}

namespace {
std::string digest_text(std::uint32_t digest) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string text(8, '0');
    for (int i = 7; i >= 0; --i, digest >>= 4)
        text[static_cast<std::size_t>(i)] = hex[digest & 0xf];
    return text;
}
} // namespace

std::string_view name_of(step_due d) {
    return row_with(step_dues, d).name;
}
std::optional<step_due> parse_step_due(std::string_view name) {
    return id_named(step_dues, name);
}
std::string_view name_of(step_phase p) {
    return row_with(step_phases, p).name;
}
std::optional<step_phase> parse_step_phase(std::string_view name) {
    return id_named(step_phases, name);
}

std::span<const outcome_info> outcome_table() {
    return outcomes;
}

const outcome_info& info_of(outcome o) {
    return row_with(outcomes, o);
}

std::optional<outcome> parse_outcome(std::string_view name) {
    return id_named(outcomes, name);
}

namespace {
// `text` as well-formed UTF-8: each byte that starts no valid sequence becomes U+FFFD.
json::string utf8_text(std::string_view text) {
    if (utf8_length(text))
        return json::string(text);
    json::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = 1;
        for (; n <= 4 && i + n <= text.size(); ++n)
            if (utf8_length(text.substr(i, n)) == 1u)
                break;
        if (n <= 4 && i + n <= text.size()) {
            out.append(text.substr(i, n));
            i += n;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return out;
}

json::array text_array(const std::vector<std::string>& cells) {
    json::array a;
    a.reserve(cells.size());
    for (const auto& c : cells)
        a.emplace_back(utf8_text(c));
    return a;
}

// The members of each record type, "type" first.
struct encoder {
    json::object o;
    void text(std::string_view key, std::string_view value) { o[key] = utf8_text(value); }
    // A request's user and answer, as step and reinvite records hold them.
    void answer(const std::string& id, int http, const std::optional<int>& code,
                const std::string& message) {
        if (!id.empty())
            text("id", id);
        if (http)
            o["http"] = http;
        if (code)
            o["code"] = *code;
        if (!message.empty())
            text("message", message);
    }

    void operator()(const header_record& r) {
        o["type"] = "journal";
        text("format", journal_format::name);
        o["version"] = r.version;
        text("at", r.at);
        if (!r.account.empty())
            text("account", r.account);
    }
    void operator()(const run_record& r) {
        o["type"] = "run";
        text("at", r.at);
        text("csv", r.csv);
        text("plan", r.plan);
        text("action", info_of(r.action).name);
        o["rate"] = r.rate;
        o["daily_cap"] = r.daily_cap;
        o["header"] = text_array(r.header);
        o["pid"] = r.pid;
    }
    void operator()(const intent_record& r) {
        o["type"] = "intent";
        text("at", r.at);
        text("email", r.email);
        o["line"] = r.line;
        text("day", r.day);
        text("action", info_of(r.action).name);
        o["attempt"] = r.attempt;
        if (r.at_ms)
            o["at_ms"] = *r.at_ms;
    }
    void operator()(const settled_record& r) {
        o["type"] = "settled";
        text("at", r.at);
        text("email", r.email);
        text("day", r.day);
        text("action", info_of(r.action).name);
        o["http"] = r.http;
        text("why", r.why);
    }
    void operator()(const outcome_record& r) {
        o["type"] = "outcome";
        text("at", r.at);
        text("email", r.email);
        text("outcome", info_of(r.what).name);
        if (r.line)
            o["line"] = *r.line;
        o["attempts"] = r.attempts;
        if (r.http)
            o["http"] = r.http;
        if (r.code)
            o["code"] = *r.code;
        if (!r.id.empty())
            text("id", r.id);
        if (!r.message.empty())
            text("message", r.message);
        if (!r.zoom_status.empty())
            text("zoom_status", r.zoom_status);
        if (r.row)
            o["row"] = text_array(*r.row);
        if (r.group != step_due::none)
            text("group", name_of(r.group));
        if (r.profile != step_due::none)
            text("profile", name_of(r.profile));
    }
    void operator()(const step_record& r) {
        o["type"] = "step";
        text("at", r.at);
        text("email", r.email);
        text("phase", name_of(r.phase));
        json::array steps;
        if (r.group)
            steps.emplace_back("group");
        if (r.profile)
            steps.emplace_back("profile");
        o["steps"] = std::move(steps);
        answer(r.id, r.http, r.code, r.message);
        if (r.group_digest)
            text("group_digest", digest_text(r.group_digest));
        if (r.profile_digest)
            text("profile_digest", digest_text(r.profile_digest));
        if (!r.group_id.empty())
            text("group_id", r.group_id);
    }
    void operator()(const seen_record& r) {
        o["type"] = "seen";
        text("at", r.at);
        text("email", r.email);
        if (!r.id.empty())
            text("id", r.id);
        text("status", name_of(r.status));
    }
    void operator()(const reinvite_record& r) {
        o["type"] = "reinvite";
        text("at", r.at);
        text("email", r.email);
        text("phase", name_of(r.phase));
        answer(r.id, r.http, r.code, r.message);
    }
    void operator()(const pause_record& r) {
        o["type"] = "pause";
        text("at", r.at);
        text("until", r.until);
        text("reason", r.reason);
    }
    void operator()(const resume_record& r) {
        o["type"] = "resume";
        text("at", r.at);
    }
    void operator()(const end_record& r) {
        o["type"] = "end";
        text("at", r.at);
        o["exit"] = r.exit;
        json::error_code ec;
        auto summary = json::parse(r.summary, ec);
        o["summary"] = ec ? json::value(json::object()) : std::move(summary);
    }
    void operator()(const notified_record& r) {
        o["type"] = "notified";
        text("at", r.at);
        text("webhook", r.webhook);
        text("event", r.cleared ? "cleared" : "problem");
        if (!r.fingerprint.empty())
            text("fingerprint", r.fingerprint);
    }
    void operator()(const call_record& r) {
        o["type"] = "call";
        text("at", r.at);
        o["at_ms"] = r.at_ms;
        text("category", info_of(r.category).name);
    }
    void operator()(const other_record& r) { text("type", r.type); }
};

} // namespace

std::string encode(const journal_record& r) {
    encoder e;
    std::visit(e, r);
    auto text = json::serialize(e.o);
    seal_line(text);
    return text;
}

} // namespace zprov
