# Run after the test executable is built: lists the test cases of the doctest suite "timing"
# (tests/timing.hpp) and writes a CTest file that runs each of them alone (RUN_SERIAL).
# Also refuses a test name with a ';': CTest would split it, and each part would run no test.
# Arguments: -D TEST_EXECUTABLE=... -D OUTPUT=...
execute_process(COMMAND "${TEST_EXECUTABLE}" --list-test-cases OUTPUT_VARIABLE all_names
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --list-test-cases: ${status}")
endif()
string(REGEX MATCH "[^\n]*;[^\n]*" split_name "${all_names}")
if(split_name)
  message(FATAL_ERROR "a test name holds ';', which CTest splits (the parts run nothing): "
                      "${split_name}")
endif()
execute_process(COMMAND "${TEST_EXECUTABLE}" --test-suite=timing --list-test-cases
                OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --list-test-cases: ${status}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(script "")
set(count 0)
foreach(line IN LISTS lines)
  if(line STREQUAL "" OR line MATCHES "^=+$" OR line MATCHES "^\\[doctest\\] ")
    continue()
  endif()
  # The names as doctest_discover_tests gives them to add_test (bracket arguments).
  # A high cost: CTest starts them first, one by one, before the others fill the cores, so
  # that no running tests have to drain before each of them.
  string(APPEND script
         "set_tests_properties([==[${line}]==] PROPERTIES RUN_SERIAL TRUE COST 100000)\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no test case in the doctest suite \"timing\"")
endif()
file(WRITE "${OUTPUT}" "${script}")
