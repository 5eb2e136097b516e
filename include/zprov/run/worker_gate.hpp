// Which of a run's workers work now. The workers are numbered from 0 up to --concurrency; as
// many work as the rate needs over the round trips measured (run/worker_sizer), the others
// wait, their connections unopened, until the target grows, a worker ends on an error (the
// next one waiting replaces it), the rows run out or the run abandons waiting, and look again
// at least every 30 s. Throws only std::bad_alloc, and operation_aborted from a wait the
// run's halt cancels.
#pragma once

#include "zprov/run/stop.hpp"

#include <boost/asio/awaitable.hpp>

namespace zprov {

class send_pacer;
class worker_sizer;

class worker_gate {
public:
    // The target is `sizer`'s for the rate of `pacer` (the Light category's).
    worker_gate(worker_sizer& sizer, const send_pacer& pacer, stop_state& stop)
        : sizer_(sizer), pacer_(pacer), stop_(stop) {}

    // Before the workers start: the first target.
    void open();
    // Worker `number`, whose connection is `session`: true when it is to take a row now;
    // false once it has waited, kept off work (it then asks again).
    boost::asio::awaitable<bool> turn(int number, const void* session);

    // The rows ran out: every worker ends.
    void rows_ran_out();
    bool rows_done() const { return rows_done_; }
    // A worker ended on an error: the next one waiting takes its place.
    void worker_lost();

private:
    int wanted();

    worker_sizer& sizer_;
    const send_pacer& pacer_;
    stop_state& stop_;
    event changed_; // the target grew, a worker was lost, or the rows ran out
    int target_ = 0;
    int lost_ = 0;
    bool rows_done_ = false;
};

} // namespace zprov
