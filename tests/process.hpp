// Runs a program and collects its exit code and output, for tests that drive the built
// binaries as a user would. Every run has a time limit.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace zprov::test {

struct process_result {
    int exit_code = -1; // -1: killed by a signal or the time limit
    std::string out;
    std::string err;
};

process_result run_process(const std::vector<std::string>& argv, const std::string& input = "",
                           std::chrono::seconds limit = std::chrono::seconds(60));

// A fresh directory under the system temp dir, removed with its contents on destruction.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name, const std::string& contents) const;

private:
    std::string path_;
};

} // namespace zprov::test
