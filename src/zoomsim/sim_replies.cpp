// Building answers (sim_replies.hpp), and the lists of emails tests give zoomsim.
#include "zoomsim/sim_replies.hpp"

#include "zoomsim/user_rules.hpp"
#include "zprov/base/ascii.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace zoomsim {

namespace {
using ordered_json = nlohmann::ordered_json;
} // namespace

std::string email_key(std::string_view email) {
    return zprov::ascii_lower(email);
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

sim_reply no_content() {
    sim_reply reply;
    reply.status = 204;
    return reply;
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
        auto email = zprov::trim(line, " \t\r");
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
