#include "zprov/run/steps/user_lookup.hpp"

#include "zprov/base/clock.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("user lookup: a 200 says where the user is, an id that cannot be a path segment says "
          "nothing") {
    auto here =
        read_lookup(200, R"({"id":"u1","status":"pending","created_at":"2026-12-28T10:00:00Z",)"
                         R"("user_created_at":"2026-11-28T10:00:00Z"})");
    REQUIRE(here);
    CHECK(here->where == user_lookup::found::here);
    CHECK(here->id == "u1");
    REQUIRE(here->user_created_at); // the creation, never created_at (the GET's time)
    CHECK(iso8601(*here->user_created_at) == "2026-11-28T10:00:00Z");
    auto lapsed = read_lookup(400, R"({"code":1120,"message":"A valid invitation ..."})");
    REQUIRE(lapsed);
    CHECK(lapsed->expired);
    for (const char* id : {"..", ".", ""})
        CHECK_FALSE(read_lookup(200, std::string(R"({"status":"active","id":")") + id + "\"}"));
    auto gone = read_lookup(404, R"({"code":1001,"message":"User does not exist"})");
    REQUIRE(gone);
    CHECK(gone->where == user_lookup::found::elsewhere);
}
