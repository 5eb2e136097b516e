#include "zprov/journal/line.hpp"

#include "zprov/base/crc32c.hpp"

#include <array>

namespace zprov {

namespace {
constexpr std::string_view crc_key = ",\"crc\":\"";

// The checksum of `text` as 8 lower-case hex digits.
std::array<char, 8> crc_text(std::string_view text) {
    constexpr std::string_view digits = "0123456789abcdef";
    std::array<char, 8> out{};
    auto crc = crc32c(text);
    for (int i = 7; i >= 0; --i, crc >>= 4)
        out[static_cast<std::size_t>(i)] = digits[crc & 0xf];
    return out;
}
} // namespace

void seal_line(std::string& object_text) {
    object_text.pop_back(); // the closing brace: the checksum goes last
    auto crc = crc_text(object_text);
    object_text.append(crc_key).append(crc.data(), crc.size()).append("\"}\n");
}

std::optional<std::string_view> checked_text(std::string_view line) {
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    auto pos = line.rfind(crc_key);
    if (pos == std::string_view::npos || line.size() != pos + crc_key.size() + 10 ||
        line.substr(line.size() - 2) != "\"}")
        return std::nullopt;
    auto crc = crc_text(line.substr(0, pos));
    if (line.substr(pos + crc_key.size(), 8) != std::string_view(crc.data(), crc.size()))
        return std::nullopt;
    return line;
}

} // namespace zprov
