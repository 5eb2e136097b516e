#include "zprov/sheet/email_index.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>

namespace zprov {

namespace {
std::uint64_t hash_of(std::string_view s) {
    // FNV-1a, then a finaliser so that the low bits used for the slot mix well.
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}
} // namespace

std::string_view email_index::key_at(std::uint32_t offset) const {
    auto len = static_cast<unsigned char>(arena_[offset + 4]);
    return {arena_.data() + offset + 5, len};
}

std::size_t email_index::slot_of(std::string_view key, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        auto s = slots_[i];
        if (s == 0 || key_at(s - 1) == key)
            return i;
    }
}

void email_index::grow() {
    std::vector<std::uint32_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    for (auto s : old)
        if (s != 0)
            slots_[slot_of(key_at(s - 1), hash_of(key_at(s - 1)))] = s;
}

std::optional<std::uint32_t> email_index::find(std::string_view key) const {
    if (slots_.empty())
        return std::nullopt;
    auto s = slots_[slot_of(key, hash_of(key))];
    if (s == 0)
        return std::nullopt;
    std::uint32_t line;
    std::memcpy(&line, arena_.data() + (s - 1), 4);
    return line;
}

std::optional<std::uint32_t> email_index::insert(std::string_view key, std::uint32_t line) {
    if (key.size() > 255)
        throw std::length_error("email_index: key longer than 255 bytes");
    if (auto seen = find(key))
        return seen;
    if ((size_ + 1) * 10 > slots_.size() * 7)
        grow();
    if (arena_.size() + 5 + key.size() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("email_index: more than 4 GiB of emails");
    auto offset = static_cast<std::uint32_t>(arena_.size());
    char header[5];
    std::memcpy(header, &line, 4);
    header[4] = static_cast<char>(key.size());
    arena_.append(header, 5);
    arena_.append(key);
    slots_[slot_of(key, hash_of(key))] = offset + 1;
    ++size_;
    return std::nullopt;
}

} // namespace zprov
