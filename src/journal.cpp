#include "zprov/journal.hpp"

#include "zprov/crc32c.hpp"
#include "zprov/name_table.hpp"
#include "zprov/plans.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zprov {

namespace {
constexpr std::array outcomes{
    outcome_info{outcome::created, "created", true, false},
    outcome_info{outcome::exists, "exists", true, false},
    outcome_info{outcome::invalid, "invalid", true, true},
    outcome_info{outcome::rejected, "rejected", true, true},
    outcome_info{outcome::failed, "failed", false, true},
};

constexpr std::string_view crc_key = ",\"crc\":\"";

[[noreturn]] void io_failure(const std::string& path, const char* what) {
    throw fatal_error(exit_code::unavailable,
                      path + ": journal " + what + " failed: " + std::strerror(errno));
}
} // namespace

std::span<const outcome_info> outcome_table() {
    return outcomes;
}

const outcome_info& info_of(outcome o) {
    return outcomes[static_cast<std::size_t>(o)];
}

std::optional<outcome> parse_outcome(std::string_view name) {
    return id_named(outcomes, name);
}

std::string encode_record(const nlohmann::json& body) {
    auto text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.pop_back(); // the closing brace: the checksum goes last
    char crc[9];
    std::snprintf(crc, sizeof crc, "%08x", crc32c(text));
    text.append(crc_key).append(crc).append("\"}\n");
    return text;
}

namespace {
// The JSON text of a line whose checksum holds; std::nullopt for a torn or damaged line.
std::optional<std::string_view> checked_text(std::string_view line) {
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    auto pos = line.rfind(crc_key);
    if (pos == std::string_view::npos || line.size() != pos + crc_key.size() + 10 ||
        line.substr(line.size() - 2) != "\"}")
        return std::nullopt;
    char expected[9];
    std::snprintf(expected, sizeof expected, "%08x", crc32c(line.substr(0, pos)));
    if (line.substr(pos + crc_key.size(), 8) != expected)
        return std::nullopt;
    return line;
}
} // namespace

std::optional<nlohmann::json> decode_record(std::string_view line) {
    auto text = checked_text(line);
    if (!text)
        return std::nullopt;
    auto record = nlohmann::json::parse(*text, nullptr, false);
    if (record.is_discarded() || !record.is_object() || !record.contains("type"))
        return std::nullopt;
    record.erase("crc");
    return record;
}

namespace {
// The fields of a record that the summary needs.
struct record_fields {
    std::string type, email, outcome, day, action, until, reason;
    std::optional<std::uint32_t> line;
};

// A fast reading of the flat objects the journal writes. Returns false when the text needs
// the full parser: a string with escapes, or anything unexpected (a damaged record is then
// told apart by that parser).
bool read_flat(std::string_view t, record_fields& f) {
    std::size_t i = 0;
    auto ws = [&] {
        while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
            ++i;
    };
    // A string without escapes, the opening quote at i.
    auto plain_string = [&](std::string_view& out) {
        auto end = t.find('"', i + 1);
        if (end == std::string_view::npos)
            return false;
        out = t.substr(i + 1, end - i - 1);
        if (out.find('\\') != std::string_view::npos)
            return false;
        i = end + 1;
        return true;
    };
    // A nested array or object: skipped, minding strings and their escapes.
    auto skip_nested = [&] {
        int depth = 0;
        for (; i < t.size(); ++i) {
            char c = t[i];
            if (c == '"') {
                for (++i; i < t.size() && t[i] != '"'; ++i)
                    if (t[i] == '\\')
                        ++i;
            } else if (c == '[' || c == '{') {
                ++depth;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                ++i;
                return true;
            }
        }
        return false;
    };
    ws();
    if (i >= t.size() || t[i] != '{')
        return false;
    ++i;
    for (;;) {
        ws();
        if (i < t.size() && t[i] == '}')
            return true;
        std::string_view key, text;
        if (i >= t.size() || t[i] != '"' || !plain_string(key))
            return false;
        ws();
        if (i >= t.size() || t[i] != ':')
            return false;
        ++i;
        ws();
        if (i >= t.size())
            return false;
        char c = t[i];
        if (c == '"') {
            if (!plain_string(text))
                return false;
            std::string* slot = key == "type"      ? &f.type
                                : key == "email"   ? &f.email
                                : key == "outcome" ? &f.outcome
                                : key == "day"     ? &f.day
                                : key == "action"  ? &f.action
                                : key == "until"   ? &f.until
                                : key == "reason"  ? &f.reason
                                                   : nullptr;
            if (slot)
                slot->assign(text);
        } else if (c == '[' || c == '{') {
            if (!skip_nested())
                return false;
        } else {
            auto end = t.find_first_of(",}", i);
            if (end == std::string_view::npos)
                return false;
            auto value = t.substr(i, end - i);
            if (key == "line") {
                std::uint32_t n = 0;
                auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
                if (ec != std::errc{} || p != value.data() + value.size())
                    return false;
                f.line = n;
            }
            i = end;
        }
        ws();
        if (i < t.size() && t[i] == ',') {
            ++i;
            continue;
        }
        if (i < t.size() && t[i] == '}')
            return i + 1 == t.size();
        return false;
    }
}

std::string text_of(const nlohmann::json& r, const char* key) {
    auto it = r.find(key);
    return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
}

record_fields fields_of(const nlohmann::json& r) {
    record_fields f;
    f.type = text_of(r, "type");
    f.email = text_of(r, "email");
    f.outcome = text_of(r, "outcome");
    f.day = text_of(r, "day");
    f.action = text_of(r, "action");
    f.until = text_of(r, "until");
    f.reason = text_of(r, "reason");
    if (auto it = r.find("line"); it != r.end() && it->is_number_unsigned())
        f.line = it->get<std::uint32_t>();
    return f;
}

bool daily_capped(const std::string& action) {
    auto a = parse_action(action.empty() ? "create" : action);
    return a && info_of(*a).daily_capped;
}

void apply_fields(journal_summary& s, record_fields& r) {
    ++s.records;
    if (r.type == "intent") {
        auto& row = s.rows[std::move(r.email)];
        row.open_intent = true;
        row.line = r.line.value_or(0);
        ++row.attempts;
        if (daily_capped(r.action))
            ++s.creates_by_day[r.day];
    } else if (r.type == "settled") {
        // The request of the open intent had no effect (a 429, a refused token): the quota
        // it was counted against is given back, and the row is no longer in doubt.
        auto it = s.rows.find(r.email);
        if (it != s.rows.end() && it->second.open_intent) {
            it->second.open_intent = false;
            auto day = s.creates_by_day.find(r.day);
            if (daily_capped(r.action) && day != s.creates_by_day.end() && day->second > 0)
                --day->second;
        }
    } else if (r.type == "outcome") {
        auto& row = s.rows[std::move(r.email)];
        row.last = parse_outcome(r.outcome);
        row.open_intent = false;
        row.line = r.line.value_or(row.line);
    } else if (r.type == "pause") {
        if (auto until = parse_iso8601(r.until))
            s.pause = pause_state{*until, r.reason};
    } else if (r.type == "resume") {
        s.pause.reset();
    }
}
} // namespace

void apply_record(journal_summary& s, const nlohmann::json& r) {
    auto fields = fields_of(r);
    apply_fields(s, fields);
    if (fields.type == "run")
        s.last_run = r;
}

void outcome_counts::add(outcome o) {
    switch (o) {
    case outcome::created:
        ++created;
        break;
    case outcome::exists:
        ++exists;
        break;
    case outcome::invalid:
        ++invalid;
        break;
    case outcome::rejected:
        ++rejected;
        break;
    case outcome::failed:
        ++failed;
        break;
    }
}

nlohmann::json to_json(const outcome_counts& c) {
    return {{"created", c.created},   {"exists", c.exists}, {"invalid", c.invalid},
            {"rejected", c.rejected}, {"failed", c.failed}, {"in_doubt", c.in_doubt}};
}

std::int64_t journal_summary::creates_on(const std::string& day) const {
    auto it = creates_by_day.find(day);
    return it == creates_by_day.end() ? 0 : it->second;
}

const pause_state* journal_summary::active_pause(sys_seconds now) const {
    return pause && now < pause->until ? &*pause : nullptr;
}

outcome_counts count_outcomes(const journal_summary& s) {
    outcome_counts c;
    for (const auto& [key, row] : s.rows) {
        if (row.open_intent) {
            ++c.in_doubt;
            continue;
        }
        if (!row.last)
            continue;
        c.add(*row.last);
    }
    return c;
}

namespace {
// Applies one line to the summary, reading only the fields it needs; false when the line
// is torn or damaged.
bool replay_line(journal_summary& s, std::string_view line) {
    auto text = checked_text(line);
    if (!text)
        return false;
    record_fields fields;
    if (!read_flat(*text, fields) || fields.type == "run") {
        // Escaped text, or a run record (rare, and kept whole): the full parser.
        auto record = decode_record(line);
        if (!record)
            return false;
        apply_record(s, *record);
        return true;
    }
    if (fields.type.empty())
        return false;
    apply_fields(s, fields);
    return true;
}

// Reads every line of fd from the start; returns the byte length of the good prefix.
std::uint64_t scan(int fd, const std::string& path, journal_summary& s,
                   const std::function<void(const nlohmann::json&)>& each) {
    std::string pending;
    std::uint64_t offset = 0, good = 0, line_no = 0;
    std::vector<char> buf(1 << 20);
    std::string bad_line_text;
    std::uint64_t bad_line = 0;
    for (;;) {
        auto n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            io_failure(path, "read");
        }
        if (n == 0)
            break;
        offset += static_cast<std::uint64_t>(n);
        pending.append(buf.data(), static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (auto nl = pending.find('\n', start); nl != std::string::npos;
             nl = pending.find('\n', start)) {
            ++line_no;
            std::string_view line(pending.data() + start, nl - start);
            if (bad_line != 0)
                throw fatal_error(exit_code::data,
                                  path + ": line " + std::to_string(bad_line) +
                                      ": damaged journal record (checksum mismatch) before the "
                                      "end of the file. Keep a copy; to go on, cut the file "
                                      "before this line: rows after it are resent and Zoom's "
                                      "409 settles those already created");
            if (each) {
                if (auto record = decode_record(line)) {
                    ++s.records; // the caller keeps what it needs: no summary is built
                    try {
                        each(*record);
                    } catch (const nlohmann::json::exception&) {
                        throw fatal_error(exit_code::data,
                                          path + ": line " + std::to_string(line_no) +
                                              ": journal record of an unexpected shape");
                    }
                    good += nl - start + 1;
                } else {
                    bad_line = line_no;
                }
            } else if (!replay_line(s, line)) {
                bad_line = line_no;
            } else {
                good += nl - start + 1;
            }
            start = nl + 1;
        }
        pending.erase(0, start);
    }
    // A bad last line, or an unterminated tail, is a torn write.
    if (bad_line != 0 || !pending.empty())
        s.torn_tail = true;
    return good;
}
} // namespace

journal_summary read_journal(const std::string& path,
                             const std::function<void(const nlohmann::json&)>& each) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        throw fatal_error(exit_code::usage,
                          path + ": cannot open the journal: " + std::strerror(errno));
    journal_summary s;
    struct stat st {};
    if (!each && ::fstat(fd, &st) == 0) // about two records of ~170 bytes per row
        s.rows.reserve(static_cast<std::size_t>(st.st_size) / 340);
    try {
        scan(fd, path, s, each);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return s;
}

journal_writer::journal_writer(const std::string& path,
                               const std::function<void(const std::string&)>& warn)
    : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) {
        if (errno == ELOOP)
            throw fatal_error(exit_code::config,
                              path + ": the journal is a symbolic link; give its real path");
        throw fatal_error(exit_code::config,
                          path + ": cannot open the journal: " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        ::close(fd_);
        if (err == EWOULDBLOCK)
            throw fatal_error(exit_code::paused,
                              path + ": another zprov run holds this journal; wait for it to "
                                     "finish (or stop it), then rerun");
        errno = err;
        io_failure(path, "lock");
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && (st.st_mode & 0077) != 0) {
        ::fchmod(fd_, 0600);
        warn(path + ": journal was readable by others; its mode is now 0600");
    }
    try {
        auto good = scan(fd_, path, summary_, {});
        if (summary_.torn_tail) {
            warn(path +
                 ": the last journal record was torn (the previous run stopped "
                 "mid-write); cutting it off. Its row is resent and Zoom's answer settles it.");
            if (::ftruncate(fd_, static_cast<off_t>(good)) != 0 || ::fdatasync(fd_) != 0)
                io_failure(path, "truncate");
        }
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

journal_writer::~journal_writer() {
    if (fd_ >= 0)
        ::close(fd_); // releases the lock
}

void journal_writer::append(const nlohmann::json& body) {
    auto line = encode_record(body);
    std::size_t done = 0;
    while (done < line.size()) {
        auto n = ::write(fd_, line.data() + done, line.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            io_failure(path_, "write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd_) != 0)
        io_failure(path_, "fdatasync");
    apply_record(summary_, body);
}

} // namespace zprov
