// Fuzzes the reading of Zoom's answers: status, body, X-RateLimit-Type and Retry-After in
// all its forms (seconds, ISO 8601, HTTP-date), and the classification table. Input: the
// status on the first line, X-RateLimit-Type on the second, Retry-After on the third, the
// body after.
#include "zprov/base/clock.hpp"
#include "zprov/base/exit_codes.hpp"
#include "zprov/net/endpoint.hpp"
#include "zprov/run/zoom_answer.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zprov;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto next_line = [&in]() {
        auto nl = in.find('\n');
        auto line = in.substr(0, nl);
        in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
        return line;
    };
    auto status_text = next_line();
    int status = 0;
    std::from_chars(status_text.data(), status_text.data() + status_text.size(), status);
    auto rate_limit_type = next_line();
    auto retry_after = next_line();

    auto answer = read_answer(status, in, rate_limit_type, retry_after);
    auto what = classify(answer);
    if (what == verdict::created && (status != 201 || answer.user_id.empty()))
        std::abort(); // only a 201 with an id is a success
    const auto now = *parse_iso8601("2026-11-28T15:00:00Z");
    if (auto until = retry_after_time(retry_after, now))
        (void)iso8601(*until);
    if (auto t = parse_iso8601(retry_after))
        if (parse_iso8601(iso8601(*t)) != t)
            std::abort(); // formatting and parsing disagree
    (void)parse_http_date(retry_after);
    try {
        (void)parse_endpoint(retry_after, "--base-url");
    } catch (const fatal_error&) {
    }
    return 0;
}
