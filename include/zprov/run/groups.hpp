// Reading the account's groups once per run with GET /groups (paged, rate-limit category
// Medium). read_groups throws fatal_error: no_permission when Zoom refuses the list for the account
// (scope, privilege), unavailable when it cannot be read after retries.
#pragma once

#include "zprov/run/api_call.hpp"
#include "zprov/run/group_directory.hpp"
#include "zprov/user_sheet.hpp"
#include "zprov/zoom/plans.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zprov {

struct endpoint;

// Every page of GET /groups, or of GET /accounts/{accountId}/groups for a sub-account
// (ctx.account), through `session`.
boost::asio::awaitable<group_directory> read_groups(request_context& ctx, connection& session);

// The account's groups when `sheet` has a User Group column, else std::nullopt: one
// connection of its own (to ctx.api, made by `network`), closed after.
boost::asio::awaitable<std::optional<group_directory>>
groups_for(const user_sheet& sheet, request_context& ctx, transport& network);

// `run --dry-run` with credentials in the environment and a User Group column: the groups,
// read before anything else on `io` (read-only requests); std::nullopt without credentials.
// Throws what read_groups and the token holder throw.
std::optional<group_directory> dry_run_groups(const user_sheet& sheet, const endpoint& api,
                                              const endpoint& oauth, const std::string& ca_file,
                                              plan p, double light_rate, bool trace,
                                              const std::string& account_id);

} // namespace zprov
