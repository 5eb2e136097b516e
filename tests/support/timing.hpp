// Marks a test whose assertions are about time (pacing, one-second windows, 429 counts):
// `TEST_CASE("..." * timing)`. CTest runs such tests alone (RUN_SERIAL, see
// tests/serial_tests.cmake), so that the suite's own parallel tests cannot disturb them.
#pragma once

#include <doctest/doctest.h>

namespace zprov::test {
inline const doctest::test_suite timing{"timing"};
} // namespace zprov::test
