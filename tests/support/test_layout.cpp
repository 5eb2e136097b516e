// The source tree is the architecture: the README's folder list against the folders on disk,
// one name for a module's header and source, no source at the top of src/ but the program and
// the compile-once units, no file over 400 lines.
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace fs = std::filesystem;

namespace {

// Folders under `dir` (relative to it, "run/steps" style), recursively.
std::set<std::string> folders_under(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_directory())
            out.insert(fs::relative(entry.path(), dir).generic_string());
    return out;
}

// The Development section's folder list: the entries "  - `name/` ..." of its Layout item.
std::set<std::string> readme_folders(const std::string& readme) {
    const auto start = readme.find("- Layout:");
    REQUIRE(start != std::string::npos);
    const auto end = readme.find("\n- ", start + 1);
    const auto layout = readme.substr(start, end - start);
    std::set<std::string> out;
    static const std::regex entry(R"(\n  - `([a-z_/]+)/`)");
    for (std::sregex_iterator it(layout.begin(), layout.end(), entry), last; it != last; ++it)
        out.insert((*it)[1]);
    return out;
}

std::string without_extension(const fs::path& p) {
    auto s = p.generic_string();
    return s.substr(0, s.rfind('.'));
}

} // namespace

TEST_CASE("layout: the README names every folder, and include/zprov and src are the same tree") {
    const fs::path root = zprov::test::source_dir();
    const auto readme = zprov::test::slurp((root / "README.md").string());
    const auto listed = readme_folders(readme);
    REQUIRE(listed.contains("base")); // the list is found

    auto sources = folders_under(root / "src");
    std::erase_if(sources, [](const std::string& f) { return f.starts_with("zoomsim"); });
    CHECK(folders_under(root / "include/zprov") == sources);
    for (const auto& f : sources)
        CHECK_MESSAGE(listed.contains(f), "src/" << f << "/ is not in the README's list");
    for (const auto& f : folders_under(root / "src/zoomsim"))
        CHECK_MESSAGE(listed.contains("zoomsim/" + f), "src/zoomsim/" << f << "/ is not listed");
    for (const auto& f : listed) // the product's folders, and tests/
        CHECK_MESSAGE(fs::is_directory(root / (f == "tests" ? "" : "src") / f),
                      "the README lists " << f << "/, which is not there");

    // Test folders mirror a product folder, or the README says what they hold.
    for (const auto& f : folders_under(root / "tests")) {
        const auto top = f.substr(0, f.find('/'));
        if (fs::is_directory(root / "src" / top)) {
            CHECK_MESSAGE(fs::is_directory(root / "src" / f), "tests/" << f << "/ mirrors nothing");
        } else if (f == top) {
            CHECK_MESSAGE(readme.find("`tests/" + f + "/`") != std::string::npos,
                          "tests/" << f << "/ is not in the README");
        }
    }
}

TEST_CASE("layout: a module's header and source under one name, no loose sources at the top") {
    const fs::path root = zprov::test::source_dir();
    // Header-only modules: aliases, templates and plain types.
    const std::set<std::string> header_only = {"base/name_table", "net/asio", "run/contexts",
                                               "run/run_state"};
    std::set<std::string> headers;
    for (const auto& entry : fs::recursive_directory_iterator(root / "include/zprov"))
        if (entry.is_regular_file())
            headers.insert(without_extension(fs::relative(entry.path(), root / "include/zprov")));
    REQUIRE(headers.size() > 40);
    for (const auto& h : headers) {
        CHECK_MESSAGE(h.find('/') != std::string::npos,
                      "a header at the top of include/zprov: " << h);
        CHECK_MESSAGE((header_only.contains(h) || fs::exists(root / "src" / (h + ".cpp"))),
                      "include/zprov/" << h << ".hpp has no src/" << h << ".cpp");
    }
    for (const auto& entry : fs::recursive_directory_iterator(root / "src")) {
        const auto rel = fs::relative(entry.path(), root / "src");
        if (!entry.is_regular_file() || rel.generic_string().starts_with("zoomsim/"))
            continue;
        const auto name = without_extension(rel);
        if (rel.parent_path().empty()) {
            CHECK_MESSAGE((name == "main" || name == "asio_impl" || name == "json_impl"),
                          "a source at the top of src: " << rel);
            continue;
        }
        // Its module's own source, or a part of it: "replay_counts.cpp" beside "replay.hpp".
        bool has_header = headers.contains(name);
        for (auto cut = name.rfind('_'); !has_header && cut != std::string::npos;
             cut = cut == 0 ? std::string::npos : name.rfind('_', cut - 1))
            has_header = headers.contains(name.substr(0, cut));
        CHECK_MESSAGE(has_header, "src/" << rel.generic_string() << " belongs to no header");
    }
}

TEST_CASE("layout: no file of the product, zoomsim or the tests is over 400 lines") {
    const fs::path root = zprov::test::source_dir();
    int files = 0;
    for (const auto* dir : {"include", "src", "tests"})
        for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".py"))
                continue;
            std::ifstream in(entry.path());
            const auto lines = std::count(std::istreambuf_iterator<char>(in),
                                          std::istreambuf_iterator<char>(), '\n');
            ++files;
            CHECK_MESSAGE(lines <= 400, fs::relative(entry.path(), root).generic_string()
                                            << " has " << lines << " lines");
        }
    CHECK(files > 150);
}
