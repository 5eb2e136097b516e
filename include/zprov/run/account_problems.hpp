// What a run does when Zoom's refusals are about the account, not the row: the sentence
// that tells the operator what to fix (by Zoom's code), the user types whose seats ran out
// (rows of those types are held back, others go on), and the breaker that stops a run when
// the same error code refuses several distinct rows in a row. Plain values; throws nothing
// but std::bad_alloc.
#pragma once

#include "zprov/run/zoom_answer.hpp"
#include "zprov/zoom/api.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

// "the token lacks a scope: add user:write:admin (classic) or ..." for an answer that
// classify() calls account_refused.
std::string account_fix(const zoom_answer& answer);

// Whether an OAuth answer's `scope` (space-separated) holds a scope that allows POST /users,
// or, for a `sub_account`, POST /accounts/{accountId}/users.
bool can_create_users(std::string_view scopes, bool sub_account = false);
// The message for a token that cannot: names the scopes it has and the ones to add.
std::string create_scope_missing(std::string_view scopes, bool sub_account = false);

// What a run will ask of Zoom, from its settings, its sheet and its journal: every call it
// may make, for the scope preflight.
struct run_calls {
    bool updates = false;             // the sheet has profile or User Group columns
    bool groups = false;              // the sheet has a User Group column
    bool follows_invitations = false; // action create, or the journal holds pending users
    bool reinvites = false;           // --reinvite
};
std::vector<zoom_api::operation> operations_of(const run_calls& run);

// The scopes `scopes` (a token's, space-separated) lacks for `ops`: for each call none of whose
// scopes it holds, the one to add, in the token's form (granular when it holds any granular
// scope, else classic; the :master forms for a `sub_account`), each named once, in call order.
std::vector<std::string> missing_scopes(std::string_view scopes,
                                        const std::vector<zoom_api::operation>& ops,
                                        bool sub_account);
// The message for a token that lacks `missing`: names them and what needs them.
std::string scopes_missing_message(std::string_view scopes, const std::vector<std::string>& missing,
                                   bool sub_account);

// The user types Zoom has no seats left for, in this run.
class seat_holds {
public:
    // Zoom refused a row of user type `type` for want of seats.
    void hold(int type, const zoom_answer& answer);
    bool held(int type) const { return held_.contains(type); }
    // A row of a held type was not sent.
    void held_back(int type) { ++held_.at(type).rows; }
    bool any() const { return !held_.empty(); }
    // "no seats left for Licensed users (2034: ...): 20 rows ... buy ..."
    std::string message() const;

private:
    struct hold_info {
        int code = 0;
        std::string meaning;
        std::int64_t rows = 0; // rows left unsent (the refused ones included)
    };
    std::map<int, hold_info> held_;
};

// Trips when one Zoom error code refuses `limit` distinct rows in a row.
class refusal_breaker {
public:
    refusal_breaker() = default;
    explicit refusal_breaker(int limit) : limit_(limit) {}
    // A row was refused with `code` (std::nullopt: no code); true when the breaker trips.
    bool refused(std::optional<int> code, const std::string& row);
    // A row went through (created, exists, elsewhere): the run is not stuck on one code.
    void passed() { streak_ = 0; }
    int limit() const { return limit_; }
    // "Zoom refused 5 rows in a row with code 1107 (...)": why the breaker tripped.
    std::string message() const;

private:
    int limit_ = 5;
    std::optional<int> code_;
    std::string last_row_;
    int streak_ = 0;
};

} // namespace zprov
