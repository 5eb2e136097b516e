#include "zoomsim/server.hpp"

#include "zoomsim/startup_error.hpp"
#include "zprov/net/asio.hpp"

#include <boost/beast/core/detect_ssl.hpp>

#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <sched.h>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>

namespace zoomsim {

namespace {
namespace net = zprov::net;
namespace ssl = zprov::ssl;
namespace beast = zprov::beast;
namespace http = zprov::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr auto handshake_timeout = 10s; // TLS detection, handshake and shutdown
constexpr auto idle_timeout = 30s;      // reading a request, or waiting for the next one
constexpr auto write_timeout = 30s;
constexpr std::uint64_t body_limit = 1 << 20;

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

enum class ending {
    closed,         // the peer went away or timed out: nothing more to say
    close_politely, // after the last answer or the peer's own close
    drop,           // an injected fault: close without answering
};

std::string_view view(beast::string_view text) {
    return {text.data(), text.size()};
}

// Counts a request as in flight while it lives.
class in_flight {
public:
    explicit in_flight(simulator& sim) : sim_(sim) { sim_.request_started(); }
    ~in_flight() { sim_.request_finished(); }
    in_flight(const in_flight&) = delete;
    in_flight& operator=(const in_flight&) = delete;

private:
    simulator& sim_;
};

http::response<http::string_body> to_response(sim_reply& reply, unsigned version, bool keep_alive) {
    http::response<http::string_body> response{static_cast<http::status>(reply.status), version};
    response.set(http::field::server, "zoomsim");
    response.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers)
        response.set(name, value);
    response.body() = std::move(reply.body);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    return response;
}

bool expects_continue(const http::request<http::string_body>& request) {
    return beast::iequals(request[http::field::expect], "100-continue");
}

// Reads one request, answering "Expect: 100-continue" the way curl asks for it.
template <class Stream>
net::awaitable<beast::error_code> read_request(Stream& stream, beast::flat_buffer& buffer,
                                               http::request_parser<http::string_body>& parser) {
    beast::get_lowest_layer(stream).expires_after(idle_timeout);
    auto [header_error, header_bytes] =
        co_await http::async_read_header(stream, buffer, parser, use_tuple);
    if (header_error)
        co_return header_error;
    if (!parser.is_done() && expects_continue(parser.get())) {
        http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
        auto [continue_error, continue_bytes] =
            co_await http::async_write(stream, go_on, use_tuple);
        if (continue_error)
            co_return continue_error;
    }
    auto [body_error, body_bytes] = co_await http::async_read(stream, buffer, parser, use_tuple);
    co_return body_error;
}

// When the next request (or the peer's close) begins, if it does within `idle`: its first
// bytes are read here, through the TLS layer if there is one (the request may already wait
// inside it, read with the handshake). That moment is the request's arrival, as a server
// counts it for its per-second limit: the rest of the request, parsing it and answering it
// can lag behind on a busy machine without moving it. When nothing comes in time, the
// stream's timeout has closed the socket: a FIN, without TLS close_notify, as a load
// balancer's idle timeout closes.
struct request_start {
    beast::error_code error; // timeout: none began in time
    std::chrono::steady_clock::time_point arrived;
};

template <class Stream>
net::awaitable<request_start> next_request_begins(Stream& stream, beast::flat_buffer& buffer,
                                                  std::chrono::milliseconds idle) {
    if (buffer.size() != 0)
        co_return request_start{{}, std::chrono::steady_clock::now()};
    beast::get_lowest_layer(stream).expires_after(idle);
    auto [error, read] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
    request_start start{error, std::chrono::steady_clock::now()};
    buffer.commit(read);
    if (read != 0)
        start.error = {}; // the bytes read are a request's beginning, whatever came after
    co_return start;
}

// Answers requests on one connection until it ends, and says how. With `idle_close`, a
// connection on which no request begins within it is closed, as servers and load balancers
// close idle keep-alive connections.
template <class Stream>
net::awaitable<ending> exchange_requests(Stream& stream, beast::flat_buffer& buffer, simulator& sim,
                                         std::chrono::milliseconds idle_close) {
    const auto idle = idle_close.count() > 0 ? idle_close : idle_timeout;
    for (;;) {
        const auto start = co_await next_request_begins(stream, buffer, idle);
        if (start.error == beast::error::timeout) {
            if (idle_close.count() > 0)
                sim.connection_closed_idle();
            co_return ending::closed; // by the stream's timeout
        }
        if (start.error == net::error::eof)
            co_return ending::close_politely;
        if (start.error) // reset, or TLS ended without close_notify
            co_return ending::closed;
        http::request_parser<http::string_body> parser;
        parser.body_limit(body_limit);
        auto read_error = co_await read_request(stream, buffer, parser);
        if (read_error == http::error::end_of_stream)
            co_return ending::close_politely;
        if (read_error) // reset, timed out, or not HTTP
            co_return ending::closed;

        const auto& request = parser.get();
        auto reply = sim.handle({view(request.method_string()), view(request.target()),
                                 view(request[http::field::authorization]),
                                 view(request[http::field::content_type]), request.body(),
                                 view(request[http::field::user_agent])},
                                start.arrived);
        std::optional<in_flight> counted;
        if (reply.counted)
            counted.emplace(sim);
        if (reply.delay.count() > 0) {
            // Only this connection waits; the others go on.
            net::steady_timer timer(co_await net::this_coro::executor, reply.delay);
            co_await timer.async_wait(use_tuple);
        }
        if (reply.what == disposition::drop)
            co_return ending::drop;

        auto response = to_response(reply, request.version(), request.keep_alive());
        beast::get_lowest_layer(stream).expires_after(write_timeout);
        auto [write_error, written] = co_await http::async_write(stream, response, use_tuple);
        if (write_error)
            co_return ending::closed;
        if (!response.keep_alive())
            co_return ending::close_politely;
    }
}

void close_socket(tcp::socket& socket, ending how) {
    beast::error_code ignored;
    if (how == ending::drop)
        socket.shutdown(tcp::socket::shutdown_both, ignored);
    else if (how == ending::close_politely)
        socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
}

net::awaitable<void> serve_tls(beast::tcp_stream stream, beast::flat_buffer& buffer,
                               ssl::context& tls, simulator& sim,
                               std::chrono::milliseconds idle_close) {
    beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), tls);
    auto [handshake_error, used] =
        co_await secure.async_handshake(ssl::stream_base::server, buffer.data(), use_tuple);
    if (handshake_error)
        co_return;
    buffer.consume(used);
    auto how = co_await exchange_requests(secure, buffer, sim, idle_close);
    if (how == ending::close_politely) {
        beast::get_lowest_layer(secure).expires_after(handshake_timeout);
        // The peer may already be gone: a failed close_notify changes nothing.
        auto [shutdown_error] = co_await secure.async_shutdown(use_tuple);
        (void)shutdown_error;
    }
    close_socket(beast::get_lowest_layer(secure).socket(), how);
}

net::awaitable<void> run_connection(tcp::socket socket, ssl::context* tls, simulator& sim,
                                    std::chrono::milliseconds idle_close) {
    sim.connection_opened();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    if (tls) {
        // Plain HTTP and TLS share the port: look at the first bytes.
        stream.expires_after(handshake_timeout);
        auto [detect_error, is_tls] = co_await beast::async_detect_ssl(stream, buffer, use_tuple);
        if (detect_error)
            co_return;
        if (is_tls) {
            co_await serve_tls(std::move(stream), buffer, *tls, sim, idle_close);
            co_return;
        }
    }
    auto how = co_await exchange_requests(stream, buffer, sim, idle_close);
    close_socket(stream.socket(), how);
}

void report_failure(std::exception_ptr failure) {
    if (!failure)
        return;
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        std::cerr << "zoomsim: " << e.what() << "\n";
    }
}

net::awaitable<void> accept_connections(tcp::acceptor& acceptor, net::io_context& ioc,
                                        ssl::context* tls, simulator& sim,
                                        std::chrono::milliseconds idle_close) {
    for (;;) {
        tcp::socket socket(net::make_strand(ioc));
        auto [error] = co_await acceptor.async_accept(socket, use_tuple);
        if (error == net::error::operation_aborted)
            co_return;
        if (error) {
            // Out of descriptors, most likely: pause rather than spin, and keep serving.
            net::steady_timer pause(acceptor.get_executor(), 50ms);
            co_await pause.async_wait(use_tuple);
            continue;
        }
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto executor = socket.get_executor();
        net::co_spawn(executor, run_connection(std::move(socket), tls, sim, idle_close),
                      report_failure);
    }
}

std::optional<ssl::context> make_tls_context(const server_options& options) {
    if (options.tls_cert.empty() && options.tls_key.empty())
        return std::nullopt;
    std::optional<ssl::context> tls(std::in_place, ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use);
    try {
        tls->use_certificate_chain_file(options.tls_cert);
    } catch (const boost::system::system_error& e) {
        throw startup_error(exit_status::config,
                            "--tls-cert " + options.tls_cert + ": " + e.what());
    }
    try {
        tls->use_private_key_file(options.tls_key, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw startup_error(exit_status::config, "--tls-key " + options.tls_key + ": " + e.what());
    }
    return tls;
}

tcp::acceptor open_acceptor(net::io_context& ioc, const server_options& options) {
    beast::error_code error;
    auto address = net::ip::make_address(options.listen, error);
    if (error)
        throw startup_error(exit_status::usage,
                            "--listen " + options.listen + ": not an IP address");
    tcp::endpoint endpoint{address, options.port};
    tcp::acceptor acceptor(ioc);
    try {
        acceptor.open(endpoint.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(net::socket_base::max_listen_connections);
    } catch (const boost::system::system_error& e) {
        throw startup_error(exit_status::unavailable, "cannot listen on " + options.listen +
                                                          " port " + std::to_string(options.port) +
                                                          ": " + e.what());
    }
    return acceptor;
}

// For this thread and the threads it starts (they inherit it). Needs CAP_SYS_NICE; without
// it zoomsim goes on as an ordinary process and says so. The kernel keeps a share of each
// second for other processes (sched_rt_runtime_us), so a busy zoomsim cannot lock up the
// machine.
void run_in_realtime() {
    sched_param param{};
    param.sched_priority = sched_get_priority_min(SCHED_FIFO);
    if (const int error = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param); error != 0)
        std::cerr << "zoomsim: --realtime: " << std::strerror(error)
                  << "; serving at ordinary priority: requests may be timed late when the machine "
                     "is busy\n";
}

// Written to a temporary name and renamed, so a reader never sees half a number.
void write_port_file(const std::string& path, std::uint16_t port) {
    auto temporary = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << port << "\n";
        if (!out.flush())
            throw startup_error(exit_status::config, "--port-file " + path + ": cannot write");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error)
        throw startup_error(exit_status::config,
                            "--port-file " + path + ": cannot rename: " + error.message());
}
} // namespace

void serve(const server_options& options, simulator& sim) {
    auto tls = make_tls_context(options); // outlives the io_context and its connections
    const unsigned threads = std::max(1u, options.threads);
    net::io_context ioc(static_cast<int>(threads));
    auto acceptor = open_acceptor(ioc, options);
    const auto port = acceptor.local_endpoint().port();

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const beast::error_code&, int) { ioc.stop(); });
    net::co_spawn(ioc,
                  accept_connections(acceptor, ioc, tls ? &*tls : nullptr, sim, options.idle_close),
                  report_failure);

    if (!options.port_file.empty())
        write_port_file(options.port_file, port);
    std::cout << "zoomsim: listening on " << (tls ? "http+https" : "http") << "://"
              << options.listen << ":" << port << std::endl;

    if (options.realtime)
        run_in_realtime();
    std::vector<std::thread> helpers;
    for (unsigned i = 1; i < threads; ++i)
        helpers.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& helper : helpers)
        helper.join();

    if (!options.port_file.empty()) {
        std::error_code ignored;
        std::filesystem::remove(options.port_file, ignored);
    }
}

} // namespace zoomsim
