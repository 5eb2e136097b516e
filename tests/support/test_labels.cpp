// The test suite's own rule: the labels ctest runs tests under (tests/CMakeLists.txt).
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

using namespace zprov::test;

namespace {
// Sets ZPROV_TEST_LABEL for its lifetime, as ctest does for a test of that label.
class label_as {
public:
    explicit label_as(const char* label) {
        if (const char* was = std::getenv("ZPROV_TEST_LABEL"))
            previous_ = was;
        ::setenv("ZPROV_TEST_LABEL", label, 1);
    }
    ~label_as() {
        if (previous_)
            ::setenv("ZPROV_TEST_LABEL", previous_->c_str(), 1);
        else
            ::unsetenv("ZPROV_TEST_LABEL");
    }

private:
    std::optional<std::string> previous_;
};
} // namespace

TEST_CASE("labels: a test labelled unit cannot start a process, one labelled cli no zoomsim") {
    {
        label_as unit("unit");
        CHECK_THROWS_AS(run_process({"/bin/true"}), std::logic_error);
        CHECK_THROWS_AS(background_process({"/bin/true"}), std::logic_error);
    }
    {
        label_as cli("cli");
        CHECK_NOTHROW(check_label_allows({zprov_program(), "--version"}));
        CHECK_THROWS_AS(check_label_allows({zoomsim_program(), "--port", "0"}), std::logic_error);
        CHECK_THROWS_AS(check_label_allows({"/usr/bin/env", "LD_PRELOAD=x", zoomsim_program()}),
                        std::logic_error);
    }
    label_as zoomsim("zoomsim");
    CHECK_NOTHROW(check_label_allows({zoomsim_program(), "--port", "0"}));
}
