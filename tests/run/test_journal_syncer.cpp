#include "zprov/run/journal_syncer.hpp"

#include "support/process.hpp"
#include "zprov/journal/writer.hpp"
#include "zprov/net/asio.hpp"

#include <doctest/doctest.h>

using namespace zprov;

namespace {
net::awaitable<void> write_and_wait(journal_writer& writer, journal_syncer& syncer, int i,
                                    int& done) {
    auto size =
        writer.append_buffered(resume_record{"2026-11-28T00:00:0" + std::to_string(i) + "Z"});
    co_await syncer.durable(size);
    ++done;
}
} // namespace

TEST_CASE("journal syncer: one flush covers the records of every worker waiting for it") {
    test::temp_dir dir;
    journal_writer writer(dir.path() + "/j.journal", [](const std::string&) {});
    net::io_context io;
    journal_syncer syncer(io.get_executor(), writer.file());
    int done = 0;
    const int workers = 8;
    for (int i = 0; i < workers; ++i)
        net::co_spawn(io, write_and_wait(writer, syncer, i, done), net::detached);
    io.run();
    CHECK(done == workers);
    // Every record was written before the first flush started: far fewer flushes than
    // records (one or two: the first may start before the last record is written).
    CHECK(syncer.flushes() >= 1);
    CHECK(syncer.flushes() < static_cast<std::uint64_t>(workers));
    // And they are all in the file, whole.
    auto text = test::slurp(dir.path() + "/j.journal");
    CHECK(std::count(text.begin(), text.end(), '\n') == workers + 1); // + the header
}

TEST_CASE("journal syncer: a size already flushed is durable at once") {
    test::temp_dir dir;
    journal_writer writer(dir.path() + "/j.journal", [](const std::string&) {});
    net::io_context io;
    journal_syncer syncer(io.get_executor(), writer.file());
    int done = 0;
    net::co_spawn(io, write_and_wait(writer, syncer, 1, done), net::detached);
    io.run();
    io.restart();
    auto waited = [&]() -> net::awaitable<void> {
        co_await syncer.durable(writer.file().size());
        ++done;
    };
    net::co_spawn(io, waited(), net::detached);
    io.run();
    CHECK(done == 2);
    CHECK(syncer.flushes() == 1);
}
