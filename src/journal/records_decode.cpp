// Decoding the journal's lines into typed records (records.hpp): one reader per
// record type over Boost.JSON, one parser for every line.
#include "zprov/journal/line.hpp"
#include "zprov/journal/records.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <charconv>

namespace zprov {

namespace json = boost::json;

namespace {
// Reads the members of one record; a member of the wrong type makes the record damaged.
// Absent members keep their defaults (journals of format 1 omit some).
class reader {
public:
    explicit reader(const json::object& o) : o_(o) {}
    bool ok() const { return ok_; }

    void text(std::string_view key, std::string& out) {
        if (auto* v = o_.if_contains(key)) {
            if (auto* s = v->if_string())
                out.assign(s->data(), s->size());
            else
                ok_ = false;
        }
    }
    template <class Number>
    void number(std::string_view key, Number& out) {
        if (auto* v = o_.if_contains(key)) {
            json::error_code ec;
            auto n = v->to_number<Number>(ec);
            if (ec)
                ok_ = false;
            else
                out = n;
        }
    }
    template <class Number>
    void number(std::string_view key, std::optional<Number>& out) {
        if (o_.contains(key)) {
            Number n{};
            number(key, n);
            out = n;
        }
    }
    void action(std::string_view key, create_action& out) {
        std::string name;
        text(key, name);
        if (name.empty())
            return;
        if (auto a = parse_action(name))
            out = *a;
        else
            ok_ = false;
    }
    void texts(std::string_view key, std::optional<std::vector<std::string>>& out) {
        auto* v = o_.if_contains(key);
        if (!v)
            return;
        auto* a = v->if_array();
        if (!a) {
            ok_ = false;
            return;
        }
        out.emplace();
        out->reserve(a->size());
        for (const auto& cell : *a) {
            if (auto* s = cell.if_string())
                out->emplace_back(s->data(), s->size());
            else
                ok_ = false;
        }
    }

private:
    const json::object& o_;
    bool ok_ = true;
};

// One reader per record type; std::nullopt when a value makes the record damaged.
std::optional<journal_record> read_header(reader& in, const json::object&) {
    header_record r;
    r.version = 0; // a header without its version is damaged (identify refuses it)
    std::string format;
    in.text("format", format);
    in.number("version", r.version);
    in.text("at", r.at);
    in.text("account", r.account);
    if (format != journal_format::name)
        return std::nullopt;
    return r;
}

std::optional<journal_record> read_run(reader& in, const json::object&) {
    run_record r;
    in.text("at", r.at);
    in.text("csv", r.csv);
    in.text("plan", r.plan);
    in.action("action", r.action);
    in.number("rate", r.rate);
    in.number("daily_cap", r.daily_cap);
    std::optional<std::vector<std::string>> header;
    in.texts("header", header);
    r.header = std::move(header).value_or(std::vector<std::string>{});
    in.number("pid", r.pid);
    return r;
}

std::optional<journal_record> read_intent(reader& in, const json::object&) {
    intent_record r;
    in.text("at", r.at);
    in.text("email", r.email);
    in.number("line", r.line);
    in.text("day", r.day);
    in.action("action", r.action);
    in.number("attempt", r.attempt);
    in.number("at_ms", r.at_ms);
    return r;
}

std::optional<journal_record> read_settled(reader& in, const json::object&) {
    settled_record r;
    in.text("at", r.at);
    in.text("email", r.email);
    in.text("day", r.day);
    in.action("action", r.action);
    in.number("http", r.http);
    in.text("why", r.why);
    return r;
}

std::optional<journal_record> read_outcome(reader& in, const json::object&) {
    outcome_record r;
    in.text("at", r.at);
    in.text("email", r.email);
    std::string what;
    in.text("outcome", what);
    auto parsed = parse_outcome(what);
    if (!parsed)
        return std::nullopt;
    r.what = *parsed;
    in.number("line", r.line);
    in.number("attempts", r.attempts);
    in.number("http", r.http);
    in.number("code", r.code);
    in.text("id", r.id);
    in.text("message", r.message);
    in.text("zoom_status", r.zoom_status);
    in.texts("row", r.row);
    for (auto [key, out] : {std::pair{"group", &r.group}, std::pair{"profile", &r.profile}}) {
        std::string due;
        in.text(key, due);
        if (due.empty())
            continue;
        auto step = parse_step_due(due);
        if (!step)
            return std::nullopt;
        *out = *step;
    }
    return r;
}

// A request's user and answer, as step and reinvite records hold them.
void read_answer(reader& in, std::string& id, int& http, std::optional<int>& code,
                 std::string& message) {
    in.text("id", id);
    in.number("http", http);
    in.number("code", code);
    in.text("message", message);
}

std::optional<journal_record> read_step(reader& in, const json::object&) {
    step_record r;
    in.text("at", r.at);
    in.text("email", r.email);
    std::string phase;
    in.text("phase", phase);
    auto parsed = parse_step_phase(phase);
    if (!parsed)
        return std::nullopt;
    r.phase = *parsed;
    std::optional<std::vector<std::string>> steps;
    in.texts("steps", steps);
    for (const auto& step : steps.value_or(std::vector<std::string>{})) {
        if (step == "group")
            r.group = true;
        else if (step == "profile")
            r.profile = true;
        else
            return std::nullopt;
    }
    read_answer(in, r.id, r.http, r.code, r.message);
    in.text("group_id", r.group_id);
    for (auto [key, out] : {std::pair{"group_digest", &r.group_digest},
                            std::pair{"profile_digest", &r.profile_digest}}) {
        std::string hex;
        in.text(key, hex);
        if (hex.empty())
            continue;
        if (std::from_chars(hex.data(), hex.data() + hex.size(), *out, 16).ec != std::errc{})
            return std::nullopt;
    }
    return r;
}

std::optional<journal_record> read_seen(reader& in, const json::object&) {
    seen_record r;
    in.text("at", r.at);
    in.text("email", r.email);
    in.text("id", r.id);
    std::string status;
    in.text("status", status);
    auto parsed = parse_zoom_state(status);
    if (!parsed)
        return std::nullopt;
    r.status = *parsed;
    return r;
}

std::optional<journal_record> read_reinvite(reader& in, const json::object&) {
    reinvite_record r;
    in.text("at", r.at);
    in.text("email", r.email);
    std::string phase;
    in.text("phase", phase);
    auto parsed = parse_reinvite_phase(phase);
    if (!parsed)
        return std::nullopt;
    r.phase = *parsed;
    read_answer(in, r.id, r.http, r.code, r.message);
    return r;
}

std::optional<journal_record> read_pause(reader& in, const json::object&) {
    pause_record r;
    in.text("at", r.at);
    in.text("until", r.until);
    in.text("reason", r.reason);
    return r;
}

std::optional<journal_record> read_resume(reader& in, const json::object&) {
    resume_record r;
    in.text("at", r.at);
    return r;
}

std::optional<journal_record> read_end(reader& in, const json::object& o) {
    end_record r;
    in.text("at", r.at);
    in.number("exit", r.exit);
    if (auto* summary = o.if_contains("summary"))
        r.summary = json::serialize(*summary);
    return r;
}

std::optional<journal_record> read_call(reader& in, const json::object&) {
    call_record r;
    in.text("at", r.at);
    in.number("at_ms", r.at_ms);
    std::string category;
    in.text("category", category);
    for (const auto& c : rate_category_table())
        if (c.name == category) {
            r.category = c.id;
            return r;
        }
    return std::nullopt;
}

std::optional<journal_record> read_notified(reader& in, const json::object&) {
    notified_record r;
    in.text("at", r.at);
    in.text("webhook", r.webhook);
    std::string event;
    in.text("event", event);
    if (event != "cleared" && event != "problem")
        return std::nullopt;
    r.cleared = event == "cleared";
    in.text("fingerprint", r.fingerprint);
    return r;
}

struct record_reader {
    std::string_view type;
    std::optional<journal_record> (*read)(reader&, const json::object&);
};
// The most frequent types first.
constexpr std::array record_readers{
    record_reader{"intent", read_intent},     record_reader{"outcome", read_outcome},
    record_reader{"call", read_call},         record_reader{"settled", read_settled},
    record_reader{"journal", read_header},    record_reader{"run", read_run},
    record_reader{"pause", read_pause},       record_reader{"resume", read_resume},
    record_reader{"end", read_end},           record_reader{"step", read_step},
    record_reader{"seen", read_seen},         record_reader{"reinvite", read_reinvite},
    record_reader{"notified", read_notified},
};

std::optional<journal_record> read_record(const json::object& o) {
    auto* type_value = o.if_contains("type");
    if (!type_value || !type_value->is_string())
        return std::nullopt;
    const std::string_view type = type_value->get_string();
    for (const auto& r : record_readers) {
        if (r.type != type)
            continue;
        reader in(o);
        auto record = r.read(in, o);
        if (!in.ok())
            return std::nullopt;
        return record;
    }
    return other_record{std::string(type)};
}

// One parser for every line, and an arena per line over one buffer: replay allocates nothing
// per record of up to 16 KiB but the record's own strings. The arena is made afresh for each
// line: in Boost 1.81 release() keeps the size of the next block, which doubles with every
// line that overflows the buffer, so that after a few dozen long lines no block could be had.
struct line_parser {
    unsigned char buffer[16384];
    // A line whose checksum holds is as zprov wrote it, well-formed UTF-8 (encode sees to
    // that): the parser need not check the text again.
    json::parser parser{json::storage_ptr(), [] {
                            json::parse_options o;
                            o.allow_invalid_utf8 = true;
                            return o;
                        }()};

    std::optional<journal_record> parse(std::string_view text) {
        json::monotonic_resource arena(buffer, sizeof buffer);
        parser.reset(&arena);
        json::error_code ec;
        parser.write(text.data(), text.size(), ec);
        std::optional<journal_record> record;
        if (!ec) {
            auto value = parser.release();
            if (auto* object = value.if_object())
                record = read_record(*object);
        }
        parser.reset(); // nothing of the parser refers to the arena once it is gone
        return record;
    }
};
} // namespace

std::optional<journal_record> decode(std::string_view line) {
    auto text = checked_text(line);
    if (!text)
        return std::nullopt;
    thread_local line_parser parser;
    return parser.parse(*text);
}

} // namespace zprov
