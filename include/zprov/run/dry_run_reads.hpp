// What `zprov run --dry-run` reads from the account before it counts anything, with the
// credentials in the environment (without them, nothing): the groups when the sheet has a
// User Group column, and with --reinvite the pending users when the journal holds users it
// made pending. Read-only requests, on an io_context of their own. Throws what read_groups
// and the token holder throw.
#pragma once

#include "zprov/net/endpoint.hpp"
#include "zprov/run/dry_run.hpp"
#include "zprov/run/steps/activations.hpp"
#include "zprov/run/steps/group_directory.hpp"
#include "zprov/sheet/user_sheet.hpp"
#include "zprov/zoom/plans.hpp"

#include <optional>
#include <string>

namespace zprov {

struct account_reads {
    std::optional<group_directory> groups;
    std::optional<pending_users> pending;
    std::string pending_problem; // why the pending users could not be read
    // The dry run's view of them.
    dry_run_account view() const {
        return {groups ? &*groups : nullptr, pending ? &*pending : nullptr, pending_problem};
    }
};

struct dry_run_reach {
    const endpoint& api;
    const endpoint& oauth;
    std::string ca_file, account_id;
    plan plan_id = plan::free;
    double light_rate = 0;
    bool trace = false;
};

account_reads dry_run_reads(const user_sheet& sheet, const std::string& journal_path, bool reinvite,
                            const dry_run_reach& reach);

} // namespace zprov
