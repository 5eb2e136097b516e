// A compact set of lower-cased emails, each with the CSV line it was first seen on. Used
// to report a repeated email on its second line. About 40 bytes per email with no per-entry
// allocation, so a million-row sheet stays small. Throws std::length_error past 4 GiB of
// stored emails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

class email_index {
public:
    // Adds `key` first seen on `line`. Returns std::nullopt if it is new, else the line
    // the key was first seen on (and leaves the set unchanged).
    std::optional<std::uint32_t> insert(std::string_view key, std::uint32_t line);
    std::optional<std::uint32_t> find(std::string_view key) const;
    std::size_t size() const { return size_; }

private:
    std::size_t slot_of(std::string_view key, std::uint64_t hash) const;
    std::string_view key_at(std::uint32_t offset) const;
    void grow();

    // Each entry in arena_: 4-byte line, 1-byte length, the key bytes.
    std::string arena_;
    std::vector<std::uint32_t> slots_; // arena offset + 1; 0 = empty
    std::size_t size_ = 0;
};

} // namespace zprov
