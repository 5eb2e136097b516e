// Reading the account's groups once per run with GET /groups (paged, rate-limit category
// Medium). read_groups throws fatal_error: no_permission when Zoom refuses the list for the account
// (scope, privilege), unavailable when it cannot be read after retries.
#pragma once

#include "zprov/run/api_call.hpp"
#include "zprov/run/steps/group_directory.hpp"
#include "zprov/sheet/user_sheet.hpp"
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

} // namespace zprov
