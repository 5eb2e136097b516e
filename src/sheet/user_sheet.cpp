#include "zprov/sheet/user_sheet.hpp"

#include <algorithm>

namespace zprov {

namespace {
std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty())
            out += ", ";
        out += "\"" + n + "\"";
    }
    return out;
}
} // namespace

user_sheet::user_sheet(csv_source source, sheet_options options)
    : source_(std::move(source)), options_(std::move(options)) {
    for (const auto& [header, target] : options_.columns)
        mapped_[fold_header(header)] = target;
    // Only for the header: the judge points into this object, which may move later.
    source_.judge_header_by([this](std::string_view h) { return known_header(h); });
    if (!source_.next(record_))
        throw csv_file_error(source_.name(), 0, "the file holds only blank lines: no header");
    source_.judge_header_by({});
    notices_ = source_.notices();
    for (auto cell : record_.cells)
        header_.emplace_back(cell);
    map_header();
}

bool user_sheet::known_header(std::string_view header) const {
    if (auto it = mapped_.find(fold_header(header)); it != mapped_.end())
        return it->second.has_value();
    return match_header(header).has_value();
}

void user_sheet::map_header() {
    const unsigned line = record_.line;
    // Each field's columns with their rank, in the header's order.
    std::array<std::vector<std::pair<column_rank, std::size_t>>, field_count> found;
    std::vector<std::string> ignored;
    for (std::size_t i = 0; i < header_.size(); ++i) {
        const auto& h = header_[i];
        std::optional<header_match> match;
        if (auto it = mapped_.find(fold_header(h)); it != mapped_.end()) {
            if (it->second)
                match = header_match{*it->second, column_rank::mapped};
        } else {
            match = match_header(h);
        }
        if ((!match && names_a_secret(h)) || (match && match->id == field::password))
            secret_columns_.push_back(i);
        if (!match) {
            if (!h.empty())
                ignored.push_back(h);
            continue;
        }
        found[static_cast<std::size_t>(match->id)].emplace_back(match->rank, i);
    }

    for (std::size_t f = 0; f < field_count; ++f) {
        auto& columns = found[f];
        std::stable_sort(columns.begin(), columns.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t k = 1; k < columns.size(); ++k)
            if (columns[k].first == columns[k - 1].first || static_cast<field>(f) == field::email)
                throw csv_file_error(source_.name(), line,
                                     "columns \"" + header_[columns[k - 1].second] + "\" and \"" +
                                         header_[columns[k].second] + "\" both give " +
                                         std::string(name_of(static_cast<field>(f))) +
                                         "; map one of them in the config file's \"columns\"");
        for (const auto& column : columns)
            ranked_[f].push_back(column.second);
        if (!columns.empty())
            layout_[f] = ranked_[f].front();
        if (columns.size() > 1) {
            std::vector<std::string> names;
            for (auto i : ranked_[f])
                names.push_back(header_[i]);
            notices_.push_back(std::string(name_of(static_cast<field>(f))) +
                               " from the first cell that is not empty of " + quoted_list(names));
        }
    }

    if (!layout_[static_cast<std::size_t>(field::email)]) {
        std::string problem = "no email column in the header (found: " + quoted_list(header_) +
                              "); name it \"Email\" or map it in the config file's \"columns\"";
        for (char separator : {';', '\t', ','})
            if (header_.size() == 1 && separator != source_.separator() &&
                header_[0].find(separator) != std::string::npos) {
                problem += "; the file looks separated by " + separator_text(separator) +
                           ": try --delimiter auto";
                break;
            }
        throw csv_file_error(source_.name(), line, problem);
    }
    if (!ignored.empty())
        notices_.push_back("ignoring columns the Zoom API does not take: " + quoted_list(ignored));
    const auto& action = info_of(options_.rules.action);
    if (layout_[static_cast<std::size_t>(field::password)] && !action.sends_password)
        notices_.push_back("ignoring the password column: only autoCreate sends passwords, and "
                           "this run uses " +
                           std::string(action.name));
}

// Excel's "CSV (Comma delimited)" writes '?' for each character the code page lacks
// ("Łukasz" becomes "?ukasz"): such a name would reach Zoom wrong, so the row is refused.
void user_sheet::check_code_page_loss(const user_cells& cells, sheet_row& row) const {
    const auto encoding = source_.encoding();
    if (encoding != csv_encoding::cp1252 && encoding != csv_encoding::latin1)
        return;
    for (auto f : {field::first_name, field::last_name, field::display_name}) {
        const auto cell = cells[static_cast<std::size_t>(f)].value_or("");
        if (cell.find('?') != std::string_view::npos)
            row.errors.push_back(
                {std::string(name_of(f)),
                 "'?' where the spreadsheet could not save a character in " +
                     std::string(info_of(encoding).title) +
                     " (Excel writes \"Łukasz\" as \"?ukasz\"): save the sheet as \"CSV UTF-8\" "
                     "or \"Unicode Text\""});
    }
}

bool user_sheet::next(sheet_row& row) {
    if (!source_.next(record_))
        return false;
    row.line = record_.line;
    row.errors.clear();
    row.repeats_line = 0;

    user_cells cells{};
    for (std::size_t f = 0; f < field_count; ++f)
        for (auto index : ranked_[f]) {
            if (index >= record_.cells.size())
                continue;
            if (!cells[f] || cells[f]->empty())
                cells[f] = record_.cells[index];
            if (!cells[f]->empty())
                break;
        }

    row.errors = check_user(cells, options_.rules, row.user);
    check_code_page_loss(cells, row);

    // Extra cells are tolerated only when empty (a trailing separator); missing ones
    // would shift the columns, so the row is refused.
    auto n = record_.cells.size();
    if (n < header_.size()) {
        row.errors.insert(row.errors.begin(),
                          {"row", "has " + std::to_string(n) + " cells, the header has " +
                                      std::to_string(header_.size())});
    } else {
        for (std::size_t i = header_.size(); i < n; ++i)
            if (!record_.cells[i].empty()) {
                row.errors.insert(row.errors.begin(),
                                  {"row", "has " + std::to_string(n) + " cells, the header has " +
                                              std::to_string(header_.size()) +
                                              " (an unquoted ',' in a cell?)"});
                break;
            }
    }

    bool email_ok = std::none_of(row.errors.begin(), row.errors.end(),
                                 [](const field_error& e) { return e.field == "email"; });
    if (email_ok) {
        if (auto first = seen_.insert(email_key(row.user.email), row.line)) {
            row.repeats_line = *first;
            row.errors.push_back(
                {"email", "repeats " + row.user.email + " from line " + std::to_string(*first)});
        }
    }
    return true;
}

} // namespace zprov
