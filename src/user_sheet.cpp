#include "zprov/user_sheet.hpp"

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
    if (!source_.next(record_))
        throw csv_file_error(source_.name(), 0, "the file holds only blank lines: no header");
    for (auto cell : record_.cells)
        header_.emplace_back(cell);
    map_header();
}

void user_sheet::map_header() {
    const unsigned line = record_.line;
    std::map<std::string, std::optional<field>> folded_map;
    for (const auto& [header, target] : options_.columns)
        folded_map[fold_header(header)] = target;

    std::vector<std::string> ignored;
    for (std::size_t i = 0; i < header_.size(); ++i) {
        const auto& h = header_[i];
        std::optional<field> target;
        if (auto it = folded_map.find(fold_header(h)); it != folded_map.end())
            target = it->second;
        else
            target = field_for_header(h);
        if ((!target && names_a_secret(h)) || target == field::password)
            secret_columns_.push_back(i);
        if (!target) {
            if (!h.empty())
                ignored.push_back(h);
            continue;
        }
        auto& slot = layout_[static_cast<std::size_t>(*target)];
        if (slot)
            throw csv_file_error(source_.name(), line,
                                 "columns \"" + header_[*slot] + "\" and \"" + h + "\" both give " +
                                     std::string(name_of(*target)) +
                                     "; map one of them in the config file's \"columns\"");
        slot = i;
    }

    if (!layout_[static_cast<std::size_t>(field::email)]) {
        std::string problem = "no email column in the header (found: " + quoted_list(header_) +
                              "); name it \"Email\" or map it in the config file's \"columns\"";
        if (header_.size() == 1 && header_[0].find(';') != std::string::npos)
            problem += "; the file looks separated by ';': save it as \"CSV UTF-8 "
                       "(Comma delimited)\"";
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

bool user_sheet::next(sheet_row& row) {
    if (!source_.next(record_))
        return false;
    row.line = record_.line;
    row.errors.clear();
    row.repeats_line = 0;

    user_cells cells{};
    for (std::size_t f = 0; f < field_count; ++f)
        if (auto index = layout_[f]; index && *index < record_.cells.size())
            cells[f] = record_.cells[*index];

    row.errors = check_user(cells, options_.rules, row.user);

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
