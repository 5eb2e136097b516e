// zprov_bench_journal: writes a large, valid journal for the replay benchmark
// (bench/scale.sh). It is what a Business+ import of EMAILS rows leaves behind after
// EMAILS / 10,000 nightly runs: per UTC day a "run" record, 10,000 intent/outcome pairs
// (created with a Zoom id; 1 % exists, 1 % rejected with the row's cells), a "pause" at the
// daily cap and an "end" record, after the journal's header record. Every line is a typed
// record of zprov/journal/records.hpp through zprov::encode, so it carries the real checksum
// and `zprov status` / `report` replay it as they would a real one; it is read back through
// that replay before the program exits.
//
// Usage: zprov_bench_journal OUT [EMAILS]   (default 500,000 emails: 1,000,000 records of
// intents and outcomes, plus three per day). Exit 0, or 64 on bad arguments, 74 on I/O errors.
#include "zprov/base/clock.hpp"
#include "zprov/journal/records.hpp"
#include "zprov/journal/replay.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

namespace {

using namespace std::chrono_literals;

constexpr std::int64_t daily_cap = 10'000; // Business+
constexpr double rate = 77.6;              // what zprov sends at on Business+ (80/s less 3 %)

std::string zoom_id(std::mt19937_64& rng) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string id(22, ' ');
    for (auto& c : id)
        c = alphabet[rng() % alphabet.size()];
    return id;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: zprov_bench_journal OUT [EMAILS]\n";
        return 64;
    }
    std::int64_t emails = 500'000;
    if (argc == 3) {
        try {
            emails = std::stoll(argv[2]);
        } catch (const std::exception&) {
            emails = 0;
        }
        if (emails <= 0) {
            std::cerr << "zprov_bench_journal: EMAILS must be a positive number\n";
            return 64;
        }
    }
    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
    if (!out) {
        std::cerr << "zprov_bench_journal: cannot write " << argv[1] << "\n";
        return 74;
    }

    std::mt19937_64 rng(42);
    const auto first_day = std::chrono::floor<std::chrono::days>(zprov::now_utc()) -
                           std::chrono::days((emails + daily_cap - 1) / daily_cap);
    const std::vector<std::string> header{"Email", "First Name", "Last Name", "Department"};
    std::uint64_t records = 0;
    auto write = [&](const zprov::journal_record& r) {
        out << zprov::encode(r);
        ++records;
    };
    write(zprov::header_record{zprov::journal_format::version,
                               zprov::iso8601(first_day + std::chrono::minutes(10)), ""});

    for (std::int64_t i = 0; i < emails; ++i) {
        const auto day_index = i / daily_cap;
        const auto in_day = i % daily_cap;
        const zprov::sys_seconds day_start = first_day + std::chrono::days(day_index) + 10min;
        const auto day = zprov::utc_day(day_start);
        if (in_day == 0)
            write(zprov::run_record{zprov::iso8601(day_start), "new-hires.csv", "business",
                                    zprov::create_action::create, 80.0, daily_cap, header,
                                    4242 + day_index});

        const auto sent =
            day_start +
            std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(in_day) / rate));
        const auto email = "user" + std::to_string(i) + "@example.com";
        const auto line = static_cast<std::uint32_t>(i + 2);
        write(zprov::intent_record{zprov::iso8601(sent), email, line, day,
                                   zprov::create_action::create, 1});

        zprov::outcome_record outcome;
        outcome.at = zprov::iso8601(sent);
        outcome.email = email;
        outcome.line = line;
        outcome.attempts = 1;
        switch (i % 100) {
        case 37:
            outcome.what = zprov::outcome::exists;
            outcome.http = 409;
            outcome.code = 1005;
            outcome.message = "User already in the account: " + email;
            break;
        case 73:
            outcome.what = zprov::outcome::rejected;
            outcome.http = 400;
            outcome.code = 1009;
            outcome.message =
                "The email address " + email + " has already been used in another account.";
            outcome.row = {email, "Ann", "Lee " + std::to_string(i), "Sales"};
            break;
        default:
            outcome.what = zprov::outcome::created;
            outcome.http = 201;
            outcome.id = zoom_id(rng);
        }
        write(outcome);

        if (in_day == daily_cap - 1 || i == emails - 1) {
            const auto end = sent + 1s;
            const auto count = in_day + 1;
            if (count == daily_cap)
                write(zprov::pause_record{zprov::iso8601(end),
                                          zprov::iso8601(zprov::next_utc_midnight(end)),
                                          "the daily create cap (" + std::to_string(daily_cap) +
                                              ") is spent for " + day});
            write(zprov::end_record{zprov::iso8601(end), count == daily_cap ? 75 : 0,
                                    "{\"requests\":" + std::to_string(count) + ",\"day\":\"" + day +
                                        "\"}"});
        }
    }
    out.flush();
    if (!out) {
        std::cerr << "zprov_bench_journal: write to " << argv[1] << " failed\n";
        return 74;
    }
    out.close();
    // Read back through the replay that `status` and `report` use.
    zprov::outcome_counts counts;
    try {
        counts = zprov::count_outcomes(zprov::read_journal(argv[1]));
    } catch (const zprov::fatal_error& e) {
        std::cerr << "zprov_bench_journal: " << e.what() << "\n";
        return 74;
    }
    std::cout << records << " records, " << emails << " emails (replayed: " << counts.created
              << " created, " << counts.exists << " exists, " << counts.rejected << " rejected)\n";
    return 0;
}
