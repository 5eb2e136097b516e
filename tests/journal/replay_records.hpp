// Records for the replay tests (test_replay.cpp, test_replay_damage.cpp): an intent, an
// outcome and a settled intent of one row, and a writer's callback that ignores warnings.
#pragma once

#include "zprov/journal/replay.hpp"

#include <string>

namespace zprov::test::replay {

inline intent_record intent(const std::string& email, unsigned line,
                            const std::string& day = "2026-11-28") {
    return {"2026-11-28T10:00:00Z", email, line, day, create_action::create, 1};
}

inline outcome_record result(const std::string& email, outcome what) {
    outcome_record r;
    r.email = email;
    r.what = what;
    r.line = 2;
    return r;
}

inline settled_record settled(const std::string& email) {
    return {"2026-11-28T10:00:01Z", email, "2026-11-28", create_action::create, 429, "HTTP 429"};
}

inline const auto ignore = [](const std::string&) {};

} // namespace zprov::test::replay
