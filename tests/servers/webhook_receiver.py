#!/usr/bin/env python3
"""A webhook and ping receiver over HTTPS on 127.0.0.1 for zprov's tests: it stands for
Slack's and Microsoft Teams' incoming webhooks, a JSON receiver and a Healthchecks-style
monitor, and logs every request it gets, which the tests assert on.

Usage: webhook_receiver.py --cert PEM --key PEM --port-file FILE --log FILE [--mode MODE]

MODE is "answer" (200 "ok", the default), "hang" (reads the request and never answers) or
"status:N" (answers N). Every request is appended to the log as one JSON line: {"method",
"path", "headers", "body", "at"}, written before it is answered. The server runs until
SIGTERM or SIGINT, and for at most 10 minutes.
"""
import argparse
import http.server
import json
import ssl
import sys
import threading
import time

sys.dont_write_bytecode = True  # the module beside it is imported without a cache in the tree
import local_server  # noqa: E402

MAX_SECONDS = 600
MAX_BODY = 1 << 20


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = min(int(self.headers.get("Content-Length", "0") or 0), MAX_BODY)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        entry = {"method": self.command, "path": self.path,
                 "headers": {k.lower(): v for k, v in self.headers.items()},
                 "body": body, "at": time.time()}
        with self.server.lock:
            self.server.log.write(json.dumps(entry) + "\n")
            self.server.log.flush()
        mode = self.server.mode
        if mode == "hang":
            time.sleep(MAX_SECONDS)
            return
        status = int(mode.split(":")[1]) if mode.startswith("status:") else 200
        data = b"ok"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = handle_any
    do_POST = handle_any
    do_HEAD = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--mode", default="answer")
    args = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.lock = threading.Lock()
    server.log = open(args.log, "a")
    server.mode = args.mode
    local_server.serve(server, args.port_file, MAX_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
