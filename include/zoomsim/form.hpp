// The text encodings of the HTTP requests zoomsim reads: percent-encoding, urlencoded and
// multipart/form-data fields, header parameters, and HTTP Basic and Bearer credentials.
// Pure functions; malformed input gives std::nullopt. Throws only std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zoomsim {

using form_fields = std::vector<std::pair<std::string, std::string>>;

// "%40" -> "@"; with `plus_is_space` (form data) "+" -> " ".
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// "a=1&b=x%40y" (query strings and application/x-www-form-urlencoded bodies).
std::optional<form_fields> parse_urlencoded(std::string_view text);

// The value of the first field named `name`.
std::optional<std::string> find_field(const form_fields& fields, std::string_view name);

// The media type of a Content-Type value, lower-cased: "multipart/form-data".
std::string media_type(std::string_view content_type);

// A parameter of a header value like `multipart/form-data; boundary="x"` or
// `form-data; name="action"` (names match case-insensitively; quotes are removed).
std::optional<std::string> header_parameter(std::string_view value, std::string_view name);

// The named parts of a multipart/form-data body (RFC 7578) as curl, browsers and Postman
// send them; std::nullopt when the body is not made of parts with that boundary.
std::optional<form_fields> parse_multipart(std::string_view body, std::string_view boundary);

std::optional<std::string> base64_decode(std::string_view text);

struct basic_credentials {
    std::string user;
    std::string password;
};

// "Basic base64(user:password)".
std::optional<basic_credentials> basic_auth(std::string_view authorization);
// "Bearer TOKEN" -> "TOKEN".
std::optional<std::string_view> bearer_token(std::string_view authorization);

} // namespace zoomsim
