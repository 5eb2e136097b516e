// The nightly samples (samples/nightly/) mean what the README says: 0 and 75 (paused, the
// next run resumes) are quiet, 1 (rows to fix) is left to --notify, every other exit code
// fails: the systemd unit by its SuccessExitStatus, the crontab line by its shell, run here
// against a stub zprov that exits with each code. The ping's idea of success is the same.
#include "zprov/base/exit_codes.hpp"
#include "zprov/cli/resolve.hpp"
#include "zprov/cli/settings.hpp"
#include "zprov/run/notify.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>

using namespace zprov;
using namespace zprov::test;

namespace {
std::string sample(const std::string& name) {
    return slurp(source_dir() + "/samples/nightly/" + name);
}

// The codes a systemd service counts as success: 0 and its SuccessExitStatus.
std::set<int> unit_success_codes(const std::string& unit) {
    std::set<int> codes{0};
    std::istringstream lines(unit);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("SuccessExitStatus="))
            continue;
        std::istringstream values(line.substr(line.find('=') + 1));
        for (int code; values >> code;)
            codes.insert(code);
    }
    return codes;
}

// The crontab's job line: the command after the five time fields.
std::string crontab_command(const std::string& crontab) {
    std::istringstream lines(crontab);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#' || line.find('=') < line.find(' '))
            continue; // a comment or a variable
        std::size_t at = 0;
        for (int field = 0; field < 5; ++field)
            at = line.find_first_not_of(' ', line.find(' ', at));
        return line.substr(at);
    }
    return {};
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}
} // namespace

TEST_CASE("samples: the systemd unit succeeds for 0, 1 and 75 only, as the ping does") {
    const auto codes = unit_success_codes(sample("zprov-nightly.service"));
    CHECK(codes == std::set<int>{0, 1, 75});
    for (const auto& info : exit_code_table())
        CHECK_MESSAGE(ping_success(info.code) == codes.contains(to_int(info.code)),
                      to_int(info.code));
}

TEST_CASE("samples: the nightly settings file is a valid config with a webhook and a ping") {
    const auto s = parse_config(sample("zprov.json"), "zprov.json");
    const auto c = resolve(s, "/srv/hr/new-hires.csv");
    CHECK(c.notify.size() == 1);
    CHECK(format_for(c.notify_as, c.notify.front()) == notify_format::slack);
    CHECK(!c.ping.empty());
    CHECK(c.json_log);
    CHECK(c.progress == progress_mode::never);
}

TEST_CASE("samples: the crontab line is quiet for 0, 1 and 75 and speaks for every other exit "
          "code" *
          doctest::test_suite("cli")) {
    temp_dir dir;
    const auto credentials = dir.file("credentials.sh", "export ZOOM_ACCESS_TOKEN=stub\n");
    const auto stub = dir.file("zprov", "#!/bin/sh\necho \"stub zprov $*\"\nexit $STUB_EXIT\n");
    ::chmod(stub.c_str(), 0755);
    auto command = crontab_command(sample("crontab"));
    REQUIRE(command.find("zprov run ") != std::string::npos);
    const auto log = dir.path() + "/zprov.log";
    replace_all(command, "/etc/zprov/credentials.sh", credentials);
    replace_all(command, "/var/log/zprov.log", log);
    // As cron runs it: /bin/sh, the crontab's PATH, the stub first.
    for (const auto& info : exit_code_table()) {
        const int code = to_int(info.code);
        CAPTURE(code);
        auto r = run_process({"/usr/bin/env", "-i",
                              "PATH=" + dir.path() + ":/usr/local/bin:/usr/bin:/bin",
                              "STUB_EXIT=" + std::to_string(code), "/bin/sh", "-c", command});
        CHECK(r.exit_code == 0);
        const bool quiet = code == 0 || code == 1 || code == 75;
        if (quiet)
            CHECK_MESSAGE(r.out.empty(), r.out);
        else
            CHECK(r.out == "zprov exited " + std::to_string(code) + ": see " + log + "\n");
        CHECK(r.err.empty());
    }
    CHECK(occurrences(slurp(log), "stub zprov run /srv/hr/new-hires.csv --config") ==
          exit_code_table().size());
}
