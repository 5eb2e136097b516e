// The journal of a run, written: the file held with an exclusive flock for the writer's
// lifetime (file.hpp says what it refuses), replayed once when opened (journal/replay) and
// its summary kept up to date as records are appended. A torn last line (no newline: a crash
// mid-write) is cut off with a warning; any complete line that does not decode is damage and
// throws fatal_error(exit_code::data); a failed append throws fatal_error(cannot_write).
#pragma once

#include "zprov/journal/file.hpp"
#include "zprov/journal/records.hpp"
#include "zprov/journal/replay.hpp"

#include <cstdint>
#include <string>

namespace zprov {

class journal_writer {
public:
    // Opens or creates `path` (journal_file::open_for_append), reads it and cuts a torn
    // tail off, with a warning to `warn`.
    // `account`: the sub-account the run is for (empty: the app's own); a journal of another
    // account is refused.
    journal_writer(const std::string& path, const warn_function& warn,
                   const std::string& account = {});

    const journal_summary& summary() const { return summary_; }
    const std::string& path() const { return file_.path(); }
    // An append failed: the file is cut back to its last whole record; appends throw.
    bool failed() const { return file_.failed(); }

    // Appends one record and flushes it to disk (fdatasync) before returning; keeps the
    // summary up to date. Throws fatal_error(exit_code::cannot_write) when it cannot.
    void append(const journal_record& r);
    // Appends one record without the flush and returns the journal's size after it: the
    // record is durable once a flush (sync(), or journal_syncer) has covered that size.
    std::uint64_t append_buffered(const journal_record& r);
    void sync() { file_.sync(); }
    journal_file& file() { return file_; }
    const journal_file& file() const { return file_; }

private:
    journal_file file_;
    journal_summary summary_;
};

} // namespace zprov
