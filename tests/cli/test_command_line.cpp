#include "zprov/cli/command_line.hpp"

#include <doctest/doctest.h>

#include <cstring>

using namespace zprov;

TEST_CASE("command line: a proxy's user part is overwritten in argv and left out of the echo") {
    std::vector<std::string> given{"zprov",
                                   "run",
                                   "a b.csv",
                                   "--proxy",
                                   "http://ann:pa/ss@w0rd@proxy:3128",
                                   "--proxy=http://bob:s3cret@proxy:3128/",
                                   "--journal",
                                   "j@x"};
    std::vector<std::vector<char>> storage;
    std::vector<char*> argv;
    for (const auto& a : given) {
        storage.emplace_back(a.begin(), a.end());
        storage.back().push_back('\0');
    }
    for (auto& s : storage)
        argv.push_back(s.data());
    bool password = false;
    auto args = take_arguments(static_cast<int>(argv.size()), argv.data(), password);
    CHECK(password);
    CHECK(args == given); // parsed as given
    CHECK(std::strcmp(argv[4], "http://**************@proxy:3128") == 0);
    CHECK(std::strcmp(argv[5], "--proxy=http://**********@proxy:3128/") == 0);
    CHECK(std::strcmp(argv[7], "j@x") == 0); // not a proxy's
    CHECK(quoted_command_line(args) == "zprov run 'a b.csv' --proxy 'http://***@proxy:3128' "
                                       "'--proxy=http://***@proxy:3128/' --journal j@x");

    std::vector<std::string> plain{"zprov", "run", "x.csv", "--proxy", "http://ann@proxy:3128"};
    std::vector<char*> plain_argv;
    for (auto& a : plain)
        plain_argv.push_back(a.data());
    bool none = false;
    take_arguments(static_cast<int>(plain_argv.size()), plain_argv.data(), none);
    CHECK_FALSE(none); // a user without a password
}
