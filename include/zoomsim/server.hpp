// The HTTP(S) front of zoomsim: listens on one address and port, reads HTTP/1.1 requests
// (keep-alive, bounded headers and bodies, idle timeouts, optionally a short idle close),
// counts connections in the simulator's statistics, lets the simulator answer,
// applies its delays and drops, and returns on SIGINT or SIGTERM. With a certificate the
// same port takes TLS and plain connections. serve() throws startup_error when it
// cannot load the certificate (config) or listen (unavailable).
#pragma once

#include "zoomsim/simulator.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace zoomsim {

struct server_options {
    std::string listen = "127.0.0.1";
    std::uint16_t port = 0; // 0: any free port
    std::string port_file;  // receives the bound port, written atomically, once listening
    std::string tls_cert;   // PEM chain; TLS is offered when both are set
    std::string tls_key;    // PEM private key
    unsigned threads = 1;   // threads running the I/O loop
    // The I/O threads run under the real-time scheduler (SCHED_FIFO), so that other work on
    // a busy machine cannot keep them from reading a request when it arrives: the per-second
    // limits count arrivals as a remote server would, unmoved by the client machine's load.
    bool realtime = false;
    // Closes a connection on which no request begins within this long (0: 30 s, the
    // ordinary idle timeout).
    std::chrono::milliseconds idle_close{0};
};

// Serves until SIGINT or SIGTERM, then returns (removing the port file).
void serve(const server_options& options, simulator& sim);

} // namespace zoomsim
