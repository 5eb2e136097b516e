#include "zoomsim/form.hpp"

#include "zprov/base/ascii.hpp"

#include <algorithm>
#include <array>

namespace zoomsim {

namespace {
using zprov::ascii_lower;
using zprov::iequals;
using zprov::trim;

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c = ascii_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// Splits `text` at `separator`, outside double quotes.
std::vector<std::string_view> split_unquoted(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (text[i] == '\\' && quoted)
            ++i;
        else if (text[i] == separator && !quoted) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(text.substr(std::min(start, text.size())));
    return parts;
}

std::string unquote(std::string_view value) {
    if (value.size() < 2 || value.front() != '"' || value.back() != '"')
        return std::string(value);
    std::string out;
    for (std::size_t i = 1; i + 1 < value.size(); ++i) {
        if (value[i] == '\\' && i + 2 < value.size())
            ++i;
        out += value[i];
    }
    return out;
}

// The name of a part from its headers' Content-Disposition: form-data; name="...".
std::optional<std::string> part_name(std::string_view headers) {
    std::size_t start = 0;
    while (start < headers.size()) {
        auto end = std::min(headers.find("\r\n", start), headers.size());
        auto line = headers.substr(start, end - start);
        start = end + 2;
        auto colon = line.find(':');
        if (colon == std::string_view::npos ||
            !iequals(trim(line.substr(0, colon)), "content-disposition"))
            continue;
        auto value = trim(line.substr(colon + 1));
        if (!iequals(trim(value.substr(0, value.find(';'))), "form-data"))
            return std::nullopt;
        return header_parameter(value, "name");
    }
    return std::nullopt;
}
} // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size())
                return std::nullopt;
            int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
            if (high < 0 || low < 0)
                return std::nullopt;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<form_fields> parse_urlencoded(std::string_view text) {
    form_fields fields;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = std::min(text.find('&', start), text.size());
        auto pair = text.substr(start, end - start);
        start = end + 1;
        if (pair.empty())
            continue;
        auto equals = pair.find('=');
        auto name = percent_decode(pair.substr(0, equals), true);
        auto value = percent_decode(
            equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1), true);
        if (!name || !value)
            return std::nullopt;
        fields.emplace_back(std::move(*name), std::move(*value));
    }
    return fields;
}

std::optional<std::string> find_field(const form_fields& fields, std::string_view name) {
    for (const auto& [key, value] : fields)
        if (key == name)
            return value;
    return std::nullopt;
}

std::string media_type(std::string_view content_type) {
    return ascii_lower(trim(content_type.substr(0, content_type.find(';'))));
}

std::optional<std::string> header_parameter(std::string_view value, std::string_view name) {
    auto parts = split_unquoted(value, ';');
    for (std::size_t i = 1; i < parts.size(); ++i) {
        auto part = trim(parts[i]);
        auto equals = part.find('=');
        if (equals == std::string_view::npos)
            continue;
        if (iequals(trim(part.substr(0, equals)), name))
            return unquote(trim(part.substr(equals + 1)));
    }
    return std::nullopt;
}

std::optional<form_fields> parse_multipart(std::string_view body, std::string_view boundary) {
    if (boundary.empty() || boundary.size() > 70)
        return std::nullopt;
    const std::string delimiter = "--" + std::string(boundary);
    // The first delimiter may follow a preamble; later ones follow a CRLF.
    auto pos = body.find(delimiter);
    if (pos == std::string_view::npos ||
        (pos != 0 && (pos < 2 || body.substr(pos - 2, 2) != "\r\n")))
        return std::nullopt;
    const std::string separator = "\r\n" + delimiter;
    form_fields fields;
    for (;;) {
        pos += delimiter.size();
        if (body.substr(pos, 2) == "--")
            return fields; // the closing delimiter; an epilogue may follow
        // Transport padding, then the CRLF that ends the delimiter line.
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t'))
            ++pos;
        if (body.substr(pos, 2) != "\r\n")
            return std::nullopt;
        pos += 2;
        auto headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos)
            return std::nullopt;
        auto content_start = headers_end + 4;
        auto next = body.find(separator, content_start);
        if (next == std::string_view::npos)
            return std::nullopt;
        if (auto name = part_name(body.substr(pos, headers_end - pos)))
            fields.emplace_back(std::move(*name),
                                std::string(body.substr(content_start, next - content_start)));
        else
            return std::nullopt;
        pos = next + 2;
    }
}

std::optional<std::string> base64_decode(std::string_view text) {
    static constexpr auto table = [] {
        std::array<signed char, 256> t{};
        t.fill(-1);
        constexpr std::string_view alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (std::size_t i = 0; i < alphabet.size(); ++i)
            t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
        return t;
    }();
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (char c : text) {
        int value = table[static_cast<unsigned char>(c)];
        if (value < 0)
            return std::nullopt;
        bits = (bits << 6) | static_cast<unsigned>(value);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xFF);
        }
    }
    return out;
}

std::optional<basic_credentials> basic_auth(std::string_view authorization) {
    authorization = trim(authorization);
    auto space = authorization.find(' ');
    if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "basic"))
        return std::nullopt;
    auto decoded = base64_decode(trim(authorization.substr(space + 1)));
    if (!decoded)
        return std::nullopt;
    auto colon = decoded->find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    return basic_credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
    authorization = trim(authorization);
    auto space = authorization.find(' ');
    if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "bearer"))
        return std::nullopt;
    auto token = trim(authorization.substr(space + 1));
    if (token.empty())
        return std::nullopt;
    return token;
}

} // namespace zoomsim
