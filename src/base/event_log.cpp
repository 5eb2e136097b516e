#include "zprov/base/event_log.hpp"

#include "zprov/base/clock.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <mutex>
#include <streambuf>
#include <string>

namespace zprov {

namespace {

std::mutex lines_mutex;
std::streambuf* raw_stderr = nullptr; // std::cerr's own buffer, once the log is JSON

void write_line(const nlohmann::json& event) {
    const auto text = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    raw_stderr->sputn(text.data(), static_cast<std::streamsize>(text.size()));
    raw_stderr->pubsync();
}

nlohmann::json stamped(std::string_view event) {
    return {{"time", iso8601(now_utc())}, {"event", event}};
}

// Collects what is written to std::cerr and writes each whole line as a "message" event.
class message_lines final : public std::streambuf {
protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof()))
            return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        xsputn(&ch, 1);
        return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        std::lock_guard lock(lines_mutex);
        for (std::streamsize i = 0; i < n; ++i) {
            if (s[i] == '\n')
                emit();
            else if (s[i] != '\r')
                pending_ += s[i];
        }
        return n;
    }

private:
    void emit() {
        std::string_view text = pending_;
        std::string level = "info";
        for (auto [prefix, name] :
             {std::pair{"zprov: warning: ", "warning"}, std::pair{"zprov: error: ", "error"}})
            if (text.starts_with(prefix)) {
                level = name;
                text.remove_prefix(std::string_view(prefix).size());
            }
        if (level == "info" && text.starts_with("zprov: "))
            text.remove_prefix(7);
        auto event = stamped("message");
        event["level"] = level;
        event["text"] = std::string(text);
        write_line(event);
        pending_.clear();
    }
    std::string pending_;
};

} // namespace

void start_json_log() {
    std::lock_guard lock(lines_mutex);
    if (raw_stderr)
        return;
    // For the rest of the process, never destroyed: std::cerr is flushed after the static
    // objects' destructors have run (by the iostreams' own exit handler), so a buffer that
    // is a static object would be gone by then.
    static auto* const lines = new message_lines;
    raw_stderr = std::cerr.rdbuf(lines);
}

bool json_log() {
    std::lock_guard lock(lines_mutex);
    return raw_stderr != nullptr;
}

void log_event(std::string_view event, const nlohmann::json& fields) {
    std::lock_guard lock(lines_mutex);
    if (!raw_stderr)
        return;
    auto line = stamped(event);
    for (const auto& [key, value] : fields.items())
        line[key] = value;
    write_line(line);
}

} // namespace zprov
