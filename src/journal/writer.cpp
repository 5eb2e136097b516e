#include "zprov/journal/writer.hpp"

namespace zprov {

journal_writer::journal_writer(const std::string& path, const warn_function& warn,
                               const std::string& account)
    : file_(journal_file::open_for_append(path, warn, account)) {
    auto result = replay_file(file_, summary_);
    if (result.torn_tail) {
        warn(path + ": the last journal record was torn (the previous run stopped mid-write); "
                    "cutting it off. Its row is resent and Zoom's answer settles it.");
        file_.cut(result.good_bytes);
    }
    file_.raise_format(); // read and sound: an earlier zprov must refuse it from now on
}

void journal_writer::append(const journal_record& r) {
    file_.append(encode(r));
    apply_record(summary_, r);
}

std::uint64_t journal_writer::append_buffered(const journal_record& r) {
    file_.write(encode(r));
    apply_record(summary_, r);
    return file_.size();
}

} // namespace zprov
