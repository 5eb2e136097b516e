// The accounts of the re-invite tests (test_cli_reinvite*.cpp): zoomsim with users a first
// run created and some accepted, the `run --reinvite` command under faketime, and the checks
// of zoomsim's record and the journal against them.
#pragma once

#include "support/process.hpp"
#include "support/sim_fixture.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace zprov::test::reinvite {

// users_csv's address of user i.
std::string user_email(int i, const std::string& tag);

// zoomsim and a sheet of n users, all created by a first run; `active` of them (the first)
// accept and a second run records it.
struct stale_account {
    run_env env;
    zoomsim_server sim;
    std::string tag, csv, journal;
    stale_account(const std::string& tag_, int n, int active,
                  std::vector<std::string> sim_args = {});
};

// `zprov run CSV --reinvite` plus `more`, 26 days later by zprov's clock (faketime).
std::vector<std::string> reinvite_argv(const run_env& env, const zoomsim_server& sim,
                                       const std::string& csv, std::vector<std::string> more);

// By zoomsim's record: users `active` (indices) never deleted and created once; the others
// deleted `deleted` times and created `deleted` + 1 times; every user there once, the
// re-invited ones pending.
void check_reinvited(const zoomsim_server& sim, int n, const std::string& tag,
                     const std::set<int>& active, const std::set<int>& reinvited);

// kill -9 of zprov run under faketime (env(1) has exec'd it: the process is zprov).
void kill_under_faketime(background_process& p);

// Every id zoomsim saw deleted is one this journal created.
void only_own_ids_deleted(const zoomsim_server& sim, const std::string& journal);

// `zprov status JOURNAL --json` plus `more` at faketime's `when`.
nlohmann::json status_at(const std::string& when, const std::string& journal,
                         std::vector<std::string> more = {});

// zoomsim's calendar moved 26 days too, as zprov's (faketime): invitations 26 days old,
// not yet expired.
void advance_26_days(const zoomsim_server& sim);

} // namespace zprov::test::reinvite
