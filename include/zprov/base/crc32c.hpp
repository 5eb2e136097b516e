// CRC32C (Castagnoli), the checksum that lets the journal tell a torn or damaged record
// from a good one. Throws nothing.
#pragma once

#include <cstdint>
#include <string_view>

namespace zprov {

std::uint32_t crc32c(std::string_view data, std::uint32_t crc = 0);

namespace detail {
// The table-driven form, used where the processor has no CRC32C instruction.
std::uint32_t crc32c_portable(std::string_view data, std::uint32_t crc = 0);
} // namespace detail

} // namespace zprov
