#include "zprov/cli/resolve.hpp"

#include "zprov/cli/option_table.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace zprov;

TEST_CASE("resolve: every default comes from the option table, once") {
    const auto c = resolve(settings{}, "users.csv");
    settings table; // the table's own spelling of each default, parsed as given
    for (const auto& option : option_table())
        if (!option.default_value.empty())
            REQUIRE(set_from_text(table, option, option.default_value));
    CHECK(c.limits.plan_id == *table.plan_id);
    CHECK(c.limits.action == *table.action);
    CHECK(c.type == *table.type);
    CHECK(c.format.encoding == *table.encoding);
    CHECK(c.format.delimiter == *table.delimiter);
    CHECK(c.base_url == *table.base_url);
    CHECK(c.oauth_url == *table.oauth_url);
    CHECK(c.concurrency == *table.concurrency);
    CHECK(c.max_attempts == *table.max_attempts);
    CHECK(c.stale_after == *table.stale_after);
    CHECK(c.max_reinvites == *table.max_reinvites);
    CHECK(c.max_reinvites == 100); // the README's default
    CHECK(c.body == *table.body);
    CHECK(c.progress == *table.progress);
    CHECK_FALSE(c.wait);
    CHECK_FALSE(c.reinvite);
    CHECK_FALSE(c.dry_run);
    // The plan's figures where the table's default depends on the plan.
    CHECK(c.limits.rate == limits_of(c.limits.plan_id).requests_per_second);
    CHECK(c.limits.daily_cap == limits_of(c.limits.plan_id).daily_create_cap);
    CHECK_FALSE(c.proxy.has_value()); // the environment decides
    CHECK(c.account_id.empty());
    CHECK_FALSE(c.summary_json.has_value());
}

TEST_CASE("resolve: the journal follows the CSV unless given, standard input has none") {
    CHECK(resolve(settings{}, "/data/new hires.csv").journal == "/data/new hires.csv.journal");
    CHECK(resolve(settings{}, "-").journal.empty());
    settings given;
    given.journal = "/var/lib/zprov/n.journal";
    CHECK(resolve(given, "-").journal == "/var/lib/zprov/n.journal");
}

TEST_CASE("resolve: given values win over the defaults") {
    auto s = parse_config(R"({"plan": "free", "action": "autoCreate", "max-reinvites": 0,
                              "zoomgov": true, "proxy": "", "rate": 2.5})",
                          "c.json");
    const auto c = resolve(s, "u.csv");
    CHECK(c.limits.plan_id == plan::free);
    CHECK(c.limits.daily_cap == 0); // autoCreate has no daily cap
    CHECK(c.limits.rate == 2.5);
    CHECK(c.max_reinvites == 0);
    CHECK(c.base_url == "https://api.zoomgov.com/v2");
    REQUIRE(c.proxy.has_value());
    CHECK(c.proxy->empty());
}

namespace {
// The members of `settings`, as its header declares them.
std::set<std::string> setting_names() {
    const auto header = test::slurp(test::source_dir() + "/include/zprov/cli/settings.hpp");
    const auto body = header.substr(header.find("struct settings {"));
    std::set<std::string> names;
    const std::regex member(R"(std::optional<[^;]*>\s+(\w+);)");
    for (std::sregex_iterator
             it(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(body.find("};")), member),
         end;
         it != end; ++it)
        names.insert((*it)[1]);
    return names;
}

// "file:line: text" for each `<setting>.value_or(` in `path`.
std::vector<std::string> defaults_decided_in(const std::filesystem::path& path,
                                             const std::set<std::string>& names) {
    std::vector<std::string> found;
    const std::regex use(R"(\b(\w+)\s*\.\s*value_or\s*\()");
    const auto text = test::slurp(path.string());
    std::size_t line = 1, from = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), use), end; it != end; ++it) {
        const auto at = static_cast<std::size_t>(it->position());
        line += static_cast<std::size_t>(
            std::count(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
        from = at;
        if (names.contains((*it)[1]))
            found.push_back(path.string() + ":" + std::to_string(line) + ": " + it->str());
    }
    return found;
}
} // namespace

TEST_CASE("sources: no value_or on a setting outside resolve (settings.cpp, resolve.cpp)") {
    namespace fs = std::filesystem;
    const auto names = setting_names();
    REQUIRE(names.contains("max_reinvites"));
    REQUIRE(names.contains("journal"));
    const fs::path root = test::source_dir();
    // The check sees what it looks for: resolve's own files use value_or on settings.
    CHECK_FALSE(defaults_decided_in(root / "src/cli/settings.cpp", names).empty());
    CHECK_FALSE(defaults_decided_in(root / "src/cli/resolve.cpp", names).empty());
    std::vector<std::string> found;
    for (const auto* dir : {"src", "include/zprov"})
        for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
            const auto& p = entry.path();
            const auto rel = fs::relative(p, root).string();
            if (!entry.is_regular_file() || rel.starts_with("src/zoomsim") ||
                rel == "src/cli/settings.cpp" || rel == "src/cli/resolve.cpp")
                continue;
            for (auto& f : defaults_decided_in(p, names))
                found.push_back(std::move(f));
        }
    for (const auto& f : found)
        MESSAGE("a default decided again: ", f);
    CHECK(found.empty());
}
