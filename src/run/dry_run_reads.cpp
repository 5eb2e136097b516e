#include "zprov/run/dry_run_reads.hpp"

#include "zprov/journal/replay.hpp"
#include "zprov/net/asio.hpp"
#include "zprov/net/session.hpp"
#include "zprov/net/token.hpp"
#include "zprov/run/pacers.hpp"
#include "zprov/run/steps/groups.hpp"

#include <cstdlib>
#include <iostream>

namespace zprov {

account_reads dry_run_reads(const user_sheet& sheet, const std::string& journal_path, bool reinvite,
                            const dry_run_reach& reach) {
    account_reads reads;
    const bool groups = sheet.layout()[static_cast<std::size_t>(field::group)].has_value();
    const bool pending = reinvite && any_pending(known_rows(journal_path));
    const bool any_credentials = std::getenv("ZOOM_ACCESS_TOKEN") ||
                                 std::getenv("ZOOM_ACCOUNT_ID") || std::getenv("ZOOM_CLIENT_ID");
    if (!any_credentials) {
        if (pending)
            reads.pending_problem = "no credentials in the environment";
        return reads;
    }
    if (!groups && !pending)
        return reads;
    auto creds = credentials_from_environment();
    forget_credentials_environment();
    net::io_context io;
    auto tls = make_tls_context(reach.ca_file);
    network_transport network(io.get_executor(), tls);
    token_holder tokens(io.get_executor(), network, reach.oauth, creds, [](const std::string&) {});
    pacer_set pacers(reach.plan_id, reach.light_rate, std::chrono::steady_clock::now());
    std::exception_ptr failure;
    stop_state never; // a dry run reads its lists to the end
    run_log said;     // --trace only, as the run's own requests say it
    said.say = [](const std::string& m) { std::cerr << m << "\n"; };
    said.trace = reach.trace;
    request_context ctx{.api = reach.api,
                        .account = reach.account_id,
                        .tokens = tokens,
                        .pacers = pacers,
                        .retry = retry_limits{},
                        .stop = never,
                        .log = std::move(said)};
    auto read = [&]() -> net::awaitable<void> {
        reads.groups = co_await groups_for(sheet, ctx, network);
        if (!pending)
            co_return;
        bool repeats = false;
        reads.pending = co_await read_pending_list(ctx, network, reads.pending_problem, repeats);
    };
    net::co_spawn(io, read(), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure)
        std::rethrow_exception(failure);
    return reads;
}

} // namespace zprov
