#!/usr/bin/env python3
"""A scripted HTTP/1.1 server on 127.0.0.1 for zprov's tests: it answers what a test tells
it to, including what zoomsim never would (account refusals, endless 429s, interim
1xx answers, extra responses on a connection). Plain HTTP only (zprov allows it for
loopback hosts).

Usage: scripted_server.py --script FILE --port-file FILE --log FILE

The script is JSON: {"routes": [ROUTE, ...]}. A request is answered by the first route whose
"method" and "path" (a prefix of the target) match; each route has "answers", a list used
in turn, the last one repeated. An answer is {"status": N, "headers": {...}, "body": JSON or
text, "delay_ms": N, "close": bool} or {"raw": "bytes to write verbatim"}; either may add
"then": {"delay_ms": N, "raw": "..."}, bytes written that long after the answer (an
unsolicited extra response). A request no route matches is answered 404.

Every request is appended to the log as one JSON line: {"connection": N, "method", "path",
"headers", "body"}. The server runs until SIGTERM or SIGINT, and for at most 10 minutes.
"""
import argparse
import json
import socket
import socketserver
import sys
import threading
import time

sys.dont_write_bytecode = True  # the module beside it is imported without a cache in the tree
import local_server  # noqa: E402

MAX_SECONDS = 600
MAX_BODY = 1 << 20


class State:
    def __init__(self, script, log_path):
        self.routes = script.get("routes", [])
        self.used = [0] * len(self.routes)
        self.lock = threading.Lock()
        self.log = open(log_path, "a", buffering=1)
        self.connections = 0

    def answer_for(self, method, path):
        with self.lock:
            for i, route in enumerate(self.routes):
                if route.get("method", method) == method and path.startswith(route.get("path", "")):
                    answers = route["answers"]
                    a = answers[min(self.used[i], len(answers) - 1)]
                    self.used[i] += 1
                    return a
        return {"status": 404, "body": {"code": 1001, "message": "no route in the script"}}

    def record(self, entry):
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")


def render(answer):
    if "raw" in answer:
        return answer["raw"].encode("latin-1")
    body = answer.get("body", "")
    if not isinstance(body, str):
        body = json.dumps(body)
    data = body.encode("utf-8")
    lines = ["HTTP/1.1 %d Scripted" % answer.get("status", 200)]
    headers = {"Content-Type": "application/json", "Content-Length": str(len(data))}
    headers.update(answer.get("headers", {}))
    if answer.get("close"):
        headers["Connection"] = "close"
    lines += ["%s: %s" % (k, v) for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        state = self.server.state
        with state.lock:
            state.connections += 1
            connection = state.connections
        self.request.settimeout(30)
        while True:
            try:
                line = self.rfile.readline(65536)
            except OSError:
                return
            if not line:
                return
            parts = line.decode("latin-1").split()
            if len(parts) < 2:
                return
            headers = {}
            while True:
                h = self.rfile.readline(65536).decode("latin-1")
                if h in ("\r\n", "\n", ""):
                    break
                k, _, v = h.partition(":")
                headers[k.strip().lower()] = v.strip()
            length = min(int(headers.get("content-length", "0") or 0), MAX_BODY)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            method, path = parts[0], parts[1]
            state.record({"connection": connection, "method": method, "path": path,
                          "headers": headers, "body": body, "at": time.time()})
            answer = state.answer_for(method, path)
            if answer.get("delay_ms"):
                time.sleep(answer["delay_ms"] / 1000.0)
            try:
                self.wfile.write(render(answer))
                self.wfile.flush()
                then = answer.get("then")
                if then:
                    time.sleep(then.get("delay_ms", 0) / 1000.0)
                    self.wfile.write(then["raw"].encode("latin-1"))
                    self.wfile.flush()
            except OSError:
                return
            if answer.get("close"):
                return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--script", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    args = p.parse_args()
    with open(args.script) as f:
        script = json.load(f)
    server = Server(("127.0.0.1", 0), Handler)
    server.state = State(script, args.log)
    local_server.serve(server, args.port_file, MAX_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
