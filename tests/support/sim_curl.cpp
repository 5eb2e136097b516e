#include "support/sim_curl.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace zprov::test {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

const http_response& curl_result::only() const {
    REQUIRE_MESSAGE(responses.size() == 1, "curl exit " << exit_code << ": " << err);
    return responses.front();
}

std::vector<http_response> parse_responses(std::string_view text) {
    std::vector<http_response> responses;
    while (text.starts_with("HTTP/")) {
        auto end = text.find("\r\n\r\n");
        if (end == std::string_view::npos)
            break;
        auto head = text.substr(0, end);
        text.remove_prefix(end + 4);
        http_response response;
        auto line_end = head.find("\r\n");
        auto status_line = head.substr(0, line_end);
        response.status = std::stoi(std::string(status_line.substr(status_line.find(' ') + 1, 3)));
        while (line_end != std::string_view::npos) {
            head.remove_prefix(line_end + 2);
            line_end = head.find("\r\n");
            auto line = head.substr(0, line_end);
            auto colon = line.find(':');
            if (colon == std::string_view::npos)
                continue;
            auto value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
            response.headers[lower(std::string(line.substr(0, colon)))] = std::string(value);
        }
        if (response.status < 200)
            continue;
        auto length = response.headers.count("content-length")
                          ? std::stoul(response.headers["content-length"])
                          : text.size();
        length = std::min(length, text.size());
        response.body = std::string(text.substr(0, length));
        text.remove_prefix(length);
        responses.push_back(std::move(response));
    }
    return responses;
}

// curl with its output parsed; the proxy environment is ignored so traffic stays local.
curl_result curl(const std::vector<std::string>& args) {
    auto argv = local_curl({"-i"});
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_process(argv, "", std::chrono::seconds(30));
    return {r.exit_code, parse_responses(r.out), r.err};
}

// The status of each URL in one curl run (one keep-alive connection); 0 for no answer.
std::vector<int> curl_statuses(const std::vector<std::string>& options,
                               const std::vector<std::string>& urls) {
    auto argv = local_curl({"-w", "%{http_code}\\n"});
    argv.insert(argv.end(), options.begin(), options.end());
    for (const auto& url : urls) {
        argv.push_back("-o");
        argv.push_back("/dev/null");
        argv.push_back(url);
    }
    auto r = run_process(argv, "", std::chrono::seconds(30));
    std::vector<int> statuses;
    std::size_t start = 0;
    while (start < r.out.size()) {
        auto end = r.out.find('\n', start);
        statuses.push_back(std::stoi(r.out.substr(start, end - start)));
        start = end + 1;
    }
    return statuses;
}

std::string user_json(const std::string& email, const std::string& action,
                      const std::string& extra) {
    return R"({"action":")" + action + R"(","user_info":{"email":")" + email +
           R"(","type":1,"first_name":"Ann","last_name":"Lee")" + extra + "}}";
}

curl_result post_json(const zoomsim_server& sim, const std::string& body,
                      const std::string& token) {
    return curl({"-X", "POST", "-H", "Authorization: Bearer " + token, "-H",
                 "Content-Type: application/json", "--data-binary", body, sim.url("/v2/users")});
}

curl_result get_user(const zoomsim_server& sim, const std::string& who, const std::string& token) {
    return curl({"-H", "Authorization: Bearer " + token, sim.url("/v2/users/" + who)});
}

std::string next_midnight(const std::string& day) {
    using namespace std::chrono;
    year_month_day ymd{year{std::stoi(day.substr(0, 4))},
                       month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                       std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
    year_month_day next{sys_days{ymd} + days{1}};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT00:00:00Z", static_cast<int>(next.year()),
                  static_cast<unsigned>(next.month()), static_cast<unsigned>(next.day()));
    return text;
}

std::string replace_once(const std::string& text, std::string_view from, std::string_view to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    std::string out(text, 0, at);
    out.append(to).append(text, at + from.size());
    return out;
}

} // namespace zprov::test
