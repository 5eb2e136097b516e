#include "zprov/base/utf8.hpp"

namespace zprov {

std::optional<decoded_code_point> utf8_decode_first(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto bytes = utf8_sequence_at(p, text.size());
    if (bytes == 0 || bytes > text.size())
        return std::nullopt;
    static constexpr unsigned char lead_bits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t value = p[0] & lead_bits[bytes];
    for (std::size_t i = 1; i < bytes; ++i)
        value = (value << 6) | (p[i] & 0x3F);
    return decoded_code_point{value, bytes};
}

std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    while (!text.empty()) {
        auto c = utf8_decode_first(text);
        if (!c)
            return std::nullopt;
        text.remove_prefix(c->bytes);
        ++count;
    }
    return count;
}

} // namespace zprov
