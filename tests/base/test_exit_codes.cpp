#include "zprov/base/exit_codes.hpp"

#include <doctest/doctest.h>

#include <boost/system/system_error.hpp>

#include <new>
#include <stdexcept>
#include <string>

using namespace zprov;

TEST_CASE("exit codes: an internal error is zprov's own fault (70), never Zoom unreachable (69)") {
    for (const auto& failure : {std::runtime_error("a bug"), std::runtime_error("")}) {
        const auto ending = ending_of(failure);
        CHECK(ending.code == exit_code::software);
        CHECK(ending.message.starts_with("internal error: "));
    }
    CHECK(ending_of(std::bad_alloc()).code == exit_code::software);
    CHECK(ending_of(std::out_of_range("no such call")).message == "internal error: no such call");
    const boost::system::system_error io(
        boost::system::errc::make_error_code(boost::system::errc::io_error));
    CHECK(ending_of(io).code == exit_code::software);
    // A fatal_error keeps its own code and message.
    const fatal_error paused(exit_code::paused, "the daily create cap is spent");
    CHECK(ending_of(paused).code == exit_code::paused);
    CHECK(ending_of(paused).message == "the daily create cap is spent");
}

TEST_CASE("exit codes: --help's table says that 70 is an internal error") {
    const auto help = exit_code_help();
    CHECK(help.find("  70  zprov's own fault (an internal error") != std::string::npos);
}
