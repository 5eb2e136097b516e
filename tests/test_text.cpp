#include "zprov/text.hpp"

#include <doctest/doctest.h>

using namespace zprov;

TEST_CASE("terminal_safe: escapes that set a window title or clear a screen become visible") {
    CHECK(terminal_safe("\x1b]0;owned\x07\x1b[2J503 Service Unavailable") ==
          "\\x1b]0;owned\\x07\\x1b[2J503 Service Unavailable");
    CHECK(terminal_safe("line\r\nforged") == "line\\x0d\\x0aforged");
    CHECK(terminal_safe(std::string("a\0b", 3)) == "a\\x00b");
    CHECK(terminal_safe("del\x7f") == "del\\x7f");
    // C1 controls in UTF-8 (U+009B is a one-character CSI on some terminals)
    CHECK(terminal_safe("\xc2\x9b"
                        "2J") == "\\u009b2J");
}

TEST_CASE("terminal_safe: ordinary text, tabs and UTF-8 names pass unchanged") {
    CHECK(terminal_safe("Ann\tLee") == "Ann\tLee");
    CHECK(terminal_safe("José Müller 张伟 ©") == "José Müller 张伟 ©");
    CHECK(terminal_safe("") == "");
}

TEST_CASE("percent_encode: an email becomes one path segment") {
    CHECK(percent_encode("ann+1@x.com") == "ann%2B1%40x.com");
    CHECK(percent_encode("a/b?c#d") == "a%2Fb%3Fc%23d");
    CHECK(percent_encode("Zoë") == "Zo%C3%AB");
    CHECK(percent_encode("plain-._~") == "plain-._~");
}
