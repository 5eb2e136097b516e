// A spreadsheet of users: maps the CSV header to user fields (aliases, or a config file's
// column map), then yields each data row validated, with duplicates within the file
// reported on their second line. Streams: memory grows only by the email index.
//
// A field may have several columns (an HR export's preferred and legal first names): each
// row takes the first of them by rank (fields.hpp) whose cell is not empty.
//
// The constructor throws csv_file_error (exit 65) when the header is unusable: no email
// column, two email columns, or two columns of one rank for a field. next() throws
// csv_file_error for file-level problems found further down (see csv_source).
#pragma once

#include "zprov/sheet/csv_source.hpp"
#include "zprov/sheet/email_index.hpp"
#include "zprov/sheet/validation.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zprov {

// Header (matched like the aliases: case, spaces, '_' and '-' ignored) to field;
// std::nullopt ignores a column that would otherwise match an alias.
using column_map = std::map<std::string, std::optional<field>>;

struct sheet_options {
    validation_rules rules;
    column_map columns;
};

struct sheet_row {
    unsigned line = 0;
    user_record user;
    std::vector<field_error> errors; // empty: the row can be sent
    unsigned repeats_line = 0;       // the earlier line with the same email, if any
    bool valid() const { return errors.empty(); }
};

class user_sheet {
public:
    user_sheet(csv_source source, sheet_options options);

    const std::string& name() const { return source_.name(); }
    // The header as read, for writing rows back out in the input's columns.
    const std::vector<std::string>& header() const { return header_; }
    // Column index of each field, if the sheet has it (the first by rank).
    const std::array<std::optional<std::size_t>, field_count>& layout() const { return layout_; }
    // The encoding the file is read in.
    csv_encoding encoding() const { return source_.encoding(); }
    // Columns never journaled or reported: the password and any column named like a secret
    // (names_a_secret) that is not mapped to another field.
    const std::vector<std::size_t>& secret_columns() const { return secret_columns_; }
    // Things the operator should know once: the encoding or delimiter chosen, ignored
    // columns, an ignored password column, fields taken from several columns.
    const std::vector<std::string>& notices() const { return notices_; }

    // The next data row; false at the end of the file. The raw cells of the row stay
    // readable through cells() until the next call.
    bool next(sheet_row& row);
    const std::vector<std::string_view>& cells() const { return record_.cells; }

private:
    void map_header();
    bool known_header(std::string_view header) const;
    void check_code_page_loss(const user_cells& cells, sheet_row& row) const;

    csv_source source_;
    sheet_options options_;
    std::map<std::string, std::optional<field>> mapped_; // the column map, headers folded
    csv_record record_;
    std::vector<std::string> header_;
    std::array<std::optional<std::size_t>, field_count> layout_{};
    std::array<std::vector<std::size_t>, field_count> ranked_{}; // each field's columns
    std::vector<std::string> notices_;
    std::vector<std::size_t> secret_columns_;
    email_index seen_;
};

} // namespace zprov
