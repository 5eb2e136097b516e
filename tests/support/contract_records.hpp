// Where the contract check (tests/contract/check.py, run by CTest as zoom_contract_check
// after every other test) finds this test run's exchanges: each zoomsim the tests start, as
// a process or in this one, and each scripted server, records to a file of its own in
// contract_dir(), whose first line names the test that made it.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace zprov::test {

// The doctest case running now ("" outside one).
const std::string& current_test_name();

// A new record file in contract_dir() for one server (`kind`: "zoomsim", "simulator",
// "scripted"), its first line {"test": NAME, "kind": KIND}.
std::string new_record_file(const std::string& kind);

// A scripted server's log (its requests: method, path, headers, body) appended to `record`
// as the requests zoomsim would have recorded: no answers (the test scripted them), no
// Authorization.
void record_requests(const std::string& record, const std::vector<nlohmann::json>& requests);

} // namespace zprov::test
