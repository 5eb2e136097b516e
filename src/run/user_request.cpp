#include "zprov/run/user_request.hpp"

#include <nlohmann/json.hpp>

namespace zprov {

std::string user_info_json(const user_record& user, create_action action) {
    nlohmann::json info{{"email", user.email}, {"type", user.type}};
    if (!user.first_name.empty())
        info["first_name"] = user.first_name;
    if (!user.last_name.empty())
        info["last_name"] = user.last_name;
    if (!user.display_name.empty())
        info["display_name"] = user.display_name;
    if (info_of(action).sends_password && !user.password.empty())
        info["password"] = user.password;
    return info.dump();
}

request_body make_user_request(const user_record& user, create_action action, body_format format,
                               const std::string& boundary) {
    const auto action_name = std::string(info_of(action).name);
    if (format == body_format::json) {
        return {"application/json", "{\"action\":" + nlohmann::json(action_name).dump() +
                                        ",\"user_info\":" + user_info_json(user, action) + "}"};
    }
    std::string text;
    auto part = [&](const char* name, const std::string& value) {
        text += "--" + boundary + "\r\n";
        text += "Content-Disposition: form-data; name=\"";
        text += name;
        text += "\"\r\n\r\n" + value + "\r\n";
    };
    part("action", action_name);
    part("user_info", user_info_json(user, action));
    text += "--" + boundary + "--\r\n";
    return {"multipart/form-data; boundary=" + boundary, std::move(text)};
}

} // namespace zprov
