#include "zprov/base/crc32c.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace zprov {

namespace {
constexpr std::array<std::uint32_t, 256> make_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr auto table = make_table();

#if defined(__x86_64__)
// SSE 4.2 computes CRC32C in hardware, eight bytes at a time: journal replay reads every
// byte of the journal through here.
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::string_view data,
                                                             std::uint32_t crc) {
    crc = ~crc;
    const char* p = data.data();
    std::size_t n = data.size();
    std::uint64_t wide = crc;
    for (; n >= 8; n -= 8, p += 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        wide = _mm_crc32_u64(wide, v);
    }
    crc = static_cast<std::uint32_t>(wide);
    for (; n > 0; --n, ++p)
        crc = _mm_crc32_u8(crc, static_cast<unsigned char>(*p));
    return ~crc;
}
#endif
} // namespace

namespace detail {
std::uint32_t crc32c_portable(std::string_view data, std::uint32_t crc) {
    crc = ~crc;
    for (unsigned char b : data)
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
} // namespace detail

std::uint32_t crc32c(std::string_view data, std::uint32_t crc) {
#if defined(__x86_64__)
    static const bool hardware = __builtin_cpu_supports("sse4.2");
    if (hardware)
        return crc32c_sse42(data, crc);
#endif
    return detail::crc32c_portable(data, crc);
}

} // namespace zprov
