#include "support/contract_records.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace zprov::test {

namespace {
std::string& current_test() {
    static std::string name;
    return name;
}

// Tells the record files which test made them.
struct current_test_listener : doctest::IReporter {
    explicit current_test_listener(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override {}
    void test_case_start(const doctest::TestCaseData& data) override {
        current_test() = data.m_name;
    }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("current_test", 1, current_test_listener);
} // namespace

const std::string& current_test_name() {
    return current_test();
}

std::string new_record_file(const std::string& kind) {
    static std::atomic<int> serial{0};
    std::filesystem::create_directories(contract_dir());
    const auto path = contract_dir() + "/" + kind + "-" + std::to_string(::getpid()) + "-" +
                      std::to_string(++serial) + ".jsonl";
    std::ofstream out(path, std::ios::trunc);
    out << nlohmann::json{{"test", current_test_name()}, {"kind", kind}}.dump() << "\n";
    REQUIRE_MESSAGE(out.flush(), "cannot write " << path);
    return path;
}

void record_requests(const std::string& record, const std::vector<nlohmann::json>& requests) {
    std::ofstream out(record, std::ios::app);
    for (const auto& r : requests) {
        const auto& headers = r.value("headers", nlohmann::json::object());
        out << nlohmann::json{{"client", headers.value("user-agent", "")},
                              {"method", r.value("method", "")},
                              {"target", r.value("path", "")},
                              {"content_type", headers.value("content-type", "")},
                              {"request", r.value("body", "")}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
            << "\n";
    }
}

} // namespace zprov::test
