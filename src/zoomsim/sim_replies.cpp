// Building answers (sim_replies.hpp), and the lists of emails tests give zoomsim.
#include "zoomsim/sim_replies.hpp"

#include "zoomsim/ascii.hpp"
#include "zoomsim/user_rules.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
} // namespace

std::string iso_time(utc_time t) {
    const auto day = day_of(t);
    const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(t - day)};
    char text[16];
    std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return format_day(day) + text;
}

std::string email_key(std::string_view email) {
    return ascii_lower(email);
}

sim_reply json_reply(int status, const ordered_json& body) {
    sim_reply reply;
    reply.status = status;
    reply.body = body.dump();
    return reply;
}

sim_reply error_reply(const api_error& error) {
    ordered_json body{{"code", error.code}, {"message", error.message}};
    if (!error.detail.empty())
        body["errors"] =
            ordered_json::array({ordered_json{{"field", error.field}, {"message", error.detail}}});
    return json_reply(error.status, body);
}

sim_reply dropped_reply() {
    sim_reply reply;
    reply.what = disposition::drop;
    reply.status = 0;
    return reply;
}

std::vector<std::string> read_email_list(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot be read");
    std::vector<std::string> emails;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        auto email = trim(line, " \t\r");
        if (email.empty() || email.front() == '#')
            continue;
        if (auto why = email_problem(email))
            throw std::runtime_error(path + ": line " + std::to_string(number) + ": '" +
                                     std::string(email) + "': " + *why);
        emails.emplace_back(email);
    }
    return emails;
}

} // namespace zoomsim
