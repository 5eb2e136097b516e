#include "zprov/journal_records.hpp"

#include "zprov/crc32c.hpp"
#include "zprov/name_table.hpp"
#include "zprov/utf8.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
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

constexpr std::string_view crc_key = ",\"crc\":\"";
} // namespace

std::span<const outcome_info> outcome_table() {
    return outcomes;
}

const outcome_info& info_of(outcome o) {
    return row_with(outcomes, o);
}

std::optional<outcome> parse_outcome(std::string_view name) {
    return id_named(outcomes, name);
}

// --- encoding ------------------------------------------------------------------------------

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

    void operator()(const header_record& r) {
        o["type"] = "journal";
        text("format", journal_format::name);
        o["version"] = r.version;
        text("at", r.at);
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
    void operator()(const other_record& r) { text("type", r.type); }
};

// The checksum of `text` as 8 lower-case hex digits.
std::array<char, 8> crc_text(std::string_view text) {
    constexpr std::string_view digits = "0123456789abcdef";
    std::array<char, 8> out{};
    auto crc = crc32c(text);
    for (int i = 7; i >= 0; --i, crc >>= 4)
        out[static_cast<std::size_t>(i)] = digits[crc & 0xf];
    return out;
}
} // namespace

std::string encode(const journal_record& r) {
    encoder e;
    std::visit(e, r);
    auto text = json::serialize(e.o);
    text.pop_back(); // the closing brace: the checksum goes last
    auto crc = crc_text(text);
    text.append(crc_key).append(crc.data(), crc.size()).append("\"}\n");
    return text;
}

// --- decoding ------------------------------------------------------------------------------

namespace {
// The JSON text of a line whose checksum holds.
std::optional<std::string_view> checked_text(std::string_view line) {
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    auto pos = line.rfind(crc_key);
    if (pos == std::string_view::npos || line.size() != pos + crc_key.size() + 10 ||
        line.substr(line.size() - 2) != "\"}")
        return std::nullopt;
    auto crc = crc_text(line.substr(0, pos));
    if (line.substr(pos + crc_key.size(), 8) != std::string_view(crc.data(), crc.size()))
        return std::nullopt;
    return line;
}

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
    std::string format;
    in.text("format", format);
    in.number("version", r.version);
    in.text("at", r.at);
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

struct record_reader {
    std::string_view type;
    std::optional<journal_record> (*read)(reader&, const json::object&);
};
// The most frequent types first.
constexpr std::array record_readers{
    record_reader{"intent", read_intent},   record_reader{"outcome", read_outcome},
    record_reader{"settled", read_settled}, record_reader{"journal", read_header},
    record_reader{"run", read_run},         record_reader{"pause", read_pause},
    record_reader{"resume", read_resume},   record_reader{"end", read_end},
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

// One parser and one arena for every line: replay allocates nothing per record but the
// record's own strings.
struct line_parser {
    unsigned char buffer[16384];
    json::monotonic_resource arena{buffer, sizeof buffer};
    // A line whose checksum holds is as zprov wrote it, well-formed UTF-8 (encode sees to
    // that): the parser need not check the text again.
    json::parser parser{json::storage_ptr(), [] {
                            json::parse_options o;
                            o.allow_invalid_utf8 = true;
                            return o;
                        }()};

    std::optional<journal_record> parse(std::string_view text) {
        arena.release();
        parser.reset(&arena);
        json::error_code ec;
        parser.write(text.data(), text.size(), ec);
        if (ec)
            return std::nullopt;
        auto value = parser.release();
        auto* object = value.if_object();
        if (!object)
            return std::nullopt;
        return read_record(*object);
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
