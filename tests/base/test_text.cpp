#include "zprov/base/text.hpp"

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

TEST_CASE("trim_spaces: Unicode spaces and zero-width spaces at either end, nothing inside") {
    CHECK(trim_spaces(" \t\xC2\xA0Sales\xE2\x80\xAF\xE3\x80\x80\xE2\x80\x8B") == "Sales");
    CHECK(trim_spaces("R\xC2\xA0&\xC2\xA0"
                      "D") == "R\xC2\xA0&\xC2\xA0"
                              "D");
    CHECK(trim_spaces("\xEF\xBB\xBF") == "");
    CHECK(trim_spaces("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(trim_spaces("bad\xC2 ") == "bad\xC2"); // not UTF-8: trimmed up to the break
}

TEST_CASE("visible_text: what does not show is written as <U+XXXX>") {
    CHECK(visible_text("Sales") == "Sales");
    CHECK(visible_text("Sales\xC2\xA0") == "Sales<U+00A0>");
    CHECK(visible_text("Sup\xE2\x80\x8Bport") == "Sup<U+200B>port");
    CHECK(visible_text(" Sales  EMEA ") == "<U+0020>Sales  EMEA<U+0020>");
    CHECK(visible_text("  ") == "<U+0020><U+0020>");
    CHECK(visible_text("\xF3\xA0\x80\x81x") == "<U+E0001>x");
    CHECK(visible_text("\xC3\x89quipe \xE5\xBC\xA0") == "\xC3\x89quipe \xE5\xBC\xA0");
}
