// What tests script about one account's pending users and deletes: a user accepting its
// invitation on a trigger (after a page of the pending list, as a GET or a DELETE of it
// arrives), and DELETEs that act and then answer the concurrent-request 429 or nothing.
// Emails are keys here (email_key); the user directory acts on what fires. Throws only
// std::bad_alloc.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zoomsim {

class invitations {
public:
    // `key` accepts its invitation on `trigger`: "list" (after the `nth` page of GET
    // /users?status=pending from now is served), "get" (as the `nth` GET /users/{id} of it
    // arrives) or "delete" (as the `nth` DELETE of it arrives). False for an unknown trigger.
    bool arm(const std::string& key, std::string_view trigger, int nth);
    // Counts a `kind` event for `key` (for every armed key when empty) and returns the keys
    // whose trigger fired, disarming them.
    std::vector<std::string> fire(std::string_view kind, const std::string& key);

    // The next `times` DELETEs of `key` act, then answer "concurrent-429" or "drop". False
    // for an unknown fault.
    bool fault_deletes(const std::string& key, std::string_view fault, int times);
    // The fault the DELETE of `key` that just acted answers with, if one is armed.
    std::optional<std::string> take_delete_fault(const std::string& key);

private:
    struct trigger {
        std::string kind; // list, get, delete
        int remaining;
    };
    struct delete_fault {
        std::string kind; // concurrent-429, drop
        int remaining;
    };

    std::multimap<std::string, trigger> triggers_;      // by key
    std::map<std::string, delete_fault> delete_faults_; // by key
};

} // namespace zoomsim
