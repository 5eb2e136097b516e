#include "zoomsim/create_request.hpp"

#include "zoomsim/form.hpp"
#include "zoomsim/user_rules.hpp"
#include "zprov/zoom/user_info.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace zoomsim {

namespace {
using nlohmann::json;
using zprov::user_info_limits;

std::optional<json> parse_json(std::string_view text, std::string& why) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        why = e.what();
        return std::nullopt;
    }
}

// A string field of user_info: absent or null gives "", a non-string is refused.
std::optional<api_error> read_name(const json& info, const char* name, std::size_t max_chars,
                                   std::size_t max_chinese, std::string& out) {
    auto it = info.find(name);
    if (it == info.end() || it->is_null())
        return std::nullopt;
    const std::string field = std::string("user_info.") + name;
    if (!it->is_string())
        return invalid_field(field, "must be a string");
    out = it->get<std::string>();
    if (auto why = name_problem(out, max_chars, max_chinese))
        return invalid_field(field, std::move(*why));
    return std::nullopt;
}

std::optional<api_error> read_user_info(const json& info, zprov::create_action action,
                                        new_user& user) {
    auto email = info.find("email");
    if (email == info.end() || email->is_null())
        return invalid_field("user_info.email", "missing");
    if (!email->is_string())
        return invalid_field("user_info.email", "must be a string");
    user.email = email->get<std::string>();
    if (auto why = email_problem(user.email))
        return invalid_field("user_info.email", std::move(*why));

    auto type = info.find("type");
    if (type == info.end() || type->is_null())
        return invalid_field("user_info.type", "missing");
    if (!type->is_number_integer())
        return invalid_field("user_info.type", "must be an integer");
    if (auto why = type_problem(type->get<std::int64_t>(), action))
        return invalid_field("user_info.type", std::move(*why));
    user.type = type->get<int>();

    if (auto error = read_name(info, "first_name", user_info_limits::name_max,
                               user_info_limits::name_chinese_max, user.first_name))
        return error;
    if (auto error = read_name(info, "last_name", user_info_limits::name_max,
                               user_info_limits::name_chinese_max, user.last_name))
        return error;
    if (auto error = read_name(info, "display_name", user_info_limits::display_name_max,
                               user_info_limits::display_name_chinese_max, user.display_name))
        return error;

    if (zprov::info_of(action).sends_password) {
        auto password = info.find("password");
        if (password != info.end() && !password->is_null()) {
            if (!password->is_string())
                return invalid_field("user_info.password", "must be a string");
            user.password = password->get<std::string>();
            if (auto why = password_problem(user.password))
                return invalid_field("user_info.password", std::move(*why));
        }
    }
    return std::nullopt;
}

std::variant<create_request, api_error> validate(const json& action, const json& user_info) {
    create_request request;
    if (action.is_null())
        return invalid_field("action", "missing");
    auto parsed_action =
        action.is_string() ? zprov::parse_action(action.get<std::string>()) : std::nullopt;
    if (!parsed_action)
        return invalid_field("action", "must be one of " + zprov::action_names());
    request.action = *parsed_action;
    if (user_info.is_null())
        return invalid_field("user_info", "missing");
    if (!user_info.is_object())
        return invalid_field("user_info", "must be an object");
    if (auto error = read_user_info(user_info, request.action, request.user))
        return *error;
    return request;
}

std::variant<create_request, api_error> from_multipart(std::string_view content_type,
                                                       std::string_view body) {
    auto boundary = header_parameter(content_type, "boundary");
    if (!boundary)
        return malformed_body("multipart/form-data without a boundary");
    auto fields = parse_multipart(body, *boundary);
    if (!fields)
        return malformed_body("malformed multipart/form-data body");
    json action, user_info;
    if (auto text = find_field(*fields, "action"))
        action = *text;
    if (auto text = find_field(*fields, "user_info")) {
        std::string why;
        auto parsed = parse_json(*text, why);
        if (!parsed)
            return invalid_field("user_info", "not valid JSON: " + why);
        user_info = std::move(*parsed);
    }
    return validate(action, user_info);
}
} // namespace

std::variant<create_request, api_error> parse_create_request(std::string_view content_type,
                                                             std::string_view body) {
    if (media_type(content_type) == "multipart/form-data")
        return from_multipart(content_type, body);
    std::string why;
    auto document = parse_json(body, why);
    if (!document)
        return malformed_body("not valid JSON: " + why);
    if (!document->is_object())
        return malformed_body("not a JSON object");
    auto member = [&](const char* name) {
        auto it = document->find(name);
        return it == document->end() ? json() : *it;
    };
    return validate(member("action"), member("user_info"));
}

} // namespace zoomsim
