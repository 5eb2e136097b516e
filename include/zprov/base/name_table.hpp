// Lookups in the project's constant tables (plans, actions, fields, outcomes): rows with an
// `id` and a `name`. Throws nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zprov {

// A row of a table that only names the values of an enum.
template <class Id>
struct id_name {
    Id id;
    std::string_view name;
};

// The id of the row called `name`, if any.
template <class Table>
auto id_named(const Table& table, std::string_view name)
    -> std::optional<decltype(table.begin()->id)> {
    for (const auto& row : table)
        if (row.name == name)
            return row.id;
    return std::nullopt;
}

// The row with `id` (every id of an enum table has one; the first row otherwise).
template <class Table, class Id>
const auto& row_with(const Table& table, Id id) {
    for (const auto& row : table)
        if (row.id == id)
            return row;
    return *table.begin();
}

// "a|b|c": the names, for help texts and error messages.
template <class Table>
std::string joined_names(const Table& table) {
    std::string out;
    for (const auto& row : table) {
        if (!out.empty())
            out += '|';
        out += row.name;
    }
    return out;
}

} // namespace zprov
