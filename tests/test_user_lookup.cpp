#include "zprov/run/user_lookup.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("user lookup: a 200 says where the user is, an id that cannot be a path segment says "
          "nothing") {
    auto here =
        read_lookup(200, R"({"id":"u1","status":"active","created_at":"2026-11-28T10:00:00Z"})");
    REQUIRE(here);
    CHECK(here->where == user_lookup::found::here);
    CHECK(here->id == "u1");
    for (const char* id : {"..", ".", ""})
        CHECK_FALSE(read_lookup(200, std::string(R"({"status":"active","id":")") + id + "\"}"));
    auto gone = read_lookup(404, R"({"code":1001,"message":"User does not exist"})");
    REQUIRE(gone);
    CHECK(gone->where == user_lookup::found::elsewhere);
}
