#!/usr/bin/env python3
"""A stand-in for Zoom's POST /users written apart from zoomsim and zprov (it shares no code
with either, only the standard library): a second opinion on how fast zprov sends and
whether it stays under a per-second limit, for bench/throughput.sh.

HTTP/1.1 with keep-alive over TLS (or plain HTTP without --cert), one thread per connection
(socketserver.ThreadingMixIn), TCP_NODELAY. Each request is timed when its request line has
been read: that is its arrival, as a server counts it against a per-second limit. A request
that would make the one-second window ending at its arrival hold more than --limit admitted
requests is answered 429 (Zoom's per-second answer); any other POST /v2/users is answered
201 after --latency-ms +- --jitter-ms. No daily cap.

GET /_limit/stats answers {"requests", "created", "rate_limited", "busiest", "arrivals_ms"}:
busiest is the most arrivals (admitted or not) in any one-second window [t, t + 1 s),
arrivals_ms every arrival in order (ms since the server started).
The port is written to --port-file once listening. Runs until SIGTERM or SIGINT, and for at
most 30 minutes.

Usage: limit_server.py --port-file FILE --token TOKEN --limit N [--latency-ms 100]
       [--jitter-ms 20] [--cert PEM --key PEM] [--seed N]
"""
import argparse
import bisect
import collections
import http.server
import json
import os
import random
import signal
import socket
import socketserver
import ssl
import sys
import threading
import time

MAX_SECONDS = 1800
MAX_BODY = 1 << 20


class Counts:
    def __init__(self, limit):
        self.limit = limit
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.arrivals = []  # every request's arrival, in order
        self.admitted = collections.deque()  # arrivals admitted in the last second
        self.created = 0
        self.rate_limited = 0
        self.next_id = 1

    def arrive(self, at):
        """Records an arrival; says whether the per-second limit admits it."""
        with self.lock:
            bisect.insort(self.arrivals, at)
            while self.admitted and at - self.admitted[0] >= 1.0:
                self.admitted.popleft()
            if len(self.admitted) >= self.limit:
                self.rate_limited += 1
                return False
            self.admitted.append(at)
            return True

    def new_id(self):
        with self.lock:
            self.created += 1
            self.next_id += 1
            return "L%08d" % self.next_id

    def stats(self):
        with self.lock:
            at = list(self.arrivals)
            busiest, first = 0, 0
            for last in range(len(at)):
                while at[last] - at[first] >= 1.0:
                    first += 1
                busiest = max(busiest, last - first + 1)
            ms = lambda t: round((t - self.started) * 1000, 3)
            return {
                "requests": len(at),
                "created": self.created,
                "rate_limited": self.rate_limited,
                "busiest": busiest,
                "arrivals_ms": [ms(t) for t in at],
            }


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "limit-server"

    def parse_request(self):
        # Called as soon as the request line is read: the arrival.
        self.arrived = time.monotonic()
        return super().parse_request()

    def log_message(self, *args):
        pass

    def send(self, status, document, headers=()):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length)

    def do_GET(self):
        if self.path == "/_limit/stats":
            self.send(200, self.server.counts.stats())
        else:
            self.send(404, {"code": 404, "message": "not found"})

    def do_POST(self):
        counts = self.server.counts
        admitted = counts.arrive(self.arrived)
        raw = self.body()
        if self.path.split("?")[0] != "/v2/users":
            self.send(404, {"code": 404, "message": "not found"})
            return
        if not admitted:
            self.send(429, {"code": 429, "message": "You have reached the maximum per-second rate "
                                                    "limit for this API. Try again later."},
                      [("X-RateLimit-Type", "QPS"), ("X-RateLimit-Category", "Light")])
            return
        if self.headers.get("Authorization") != "Bearer " + self.server.token:
            self.send(401, {"code": 124, "message": "Invalid access token."})
            return
        try:
            info = json.loads(raw)["user_info"]
        except (ValueError, KeyError, TypeError):
            self.send(400, {"code": 300, "message": "Request Body should be a valid JSON object."})
            return
        delay = self.server.latency + self.server.rng.uniform(-1, 1) * self.server.jitter
        time.sleep(max(0.0, delay))
        self.send(201, {"id": counts.new_id(), "email": info.get("email"),
                        "first_name": info.get("first_name", ""),
                        "last_name": info.get("last_name", ""), "type": info.get("type", 1)})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def __init__(self, args):
        super().__init__(("127.0.0.1", 0), Handler)
        self.counts = Counts(args.limit)
        self.token = args.token
        self.latency = args.latency_ms / 1000.0
        self.jitter = args.jitter_ms / 1000.0
        self.rng = random.Random(args.seed)
        self.tls = None
        if args.cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(args.cert, args.key)

    def finish_request(self, request, client_address):
        # In the connection's own thread: the TLS handshake holds up no other connection.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls:
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--limit", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=100)
    parser.add_argument("--jitter-ms", type=float, default=20)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    server = Server(args)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    signal.signal(signal.SIGALRM, lambda *_: threading.Thread(target=server.shutdown).start())
    signal.alarm(MAX_SECONDS)
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as out:
        out.write("%d\n" % server.server_address[1])
    os.replace(temporary, args.port_file)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
