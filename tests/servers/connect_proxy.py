#!/usr/bin/env python3
"""A small HTTP CONNECT proxy on 127.0.0.1 for zprov's tests: it opens tunnels and relays
bytes both ways, nothing else (other methods are answered 405).

Usage: connect_proxy.py --port-file FILE --log FILE [--credentials USER:PASSWORD]

With --credentials, a CONNECT without that Basic Proxy-Authorization is answered 407 and
no tunnel is opened. Every CONNECT is appended to the log as one JSON line:
{"target": "host:port", "authorized": bool, "status": N}; credentials are never logged.
The proxy runs until SIGTERM or SIGINT, and for at most 10 minutes.
"""
import argparse
import base64
import json
import os
import socket
import socketserver
import sys
import threading

sys.dont_write_bytecode = True  # the module beside it is imported without a cache in the tree
import local_server  # noqa: E402

MAX_SECONDS = 600


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def relay(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def make_handler(expected, log, lock):
    class Handler(socketserver.StreamRequestHandler):
        def answer(self, status, reason, extra=""):
            self.wfile.write(f"HTTP/1.1 {status} {reason}\r\n{extra}Content-Length: 0\r\n\r\n"
                             .encode())

        def handle(self):
            request = self.rfile.readline(8192).decode("latin-1").split()
            headers = {}
            while True:
                line = self.rfile.readline(8192).decode("latin-1")
                if line in ("\r\n", "\n", ""):
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if len(request) != 3 or request[0] != "CONNECT":
                self.answer(405, "Method Not Allowed")
                return
            target = request[1]
            authorized = expected is None or headers.get("proxy-authorization") == expected
            status = 200 if authorized else 407
            upstream = None
            if authorized:
                host, _, port = target.rpartition(":")
                try:
                    upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
                    upstream.settimeout(None)
                except OSError:
                    status = 502
            with lock:
                log.write(json.dumps({"target": target, "authorized": authorized,
                                      "status": status}) + "\n")
            if status == 407:
                self.answer(407, "Proxy Authentication Required",
                            'Proxy-Authenticate: Basic realm="test"\r\n')
                return
            if status != 200:
                self.answer(502, "Bad Gateway")
                return
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            back = threading.Thread(target=relay, args=(upstream, self.connection), daemon=True)
            back.start()
            relay(self.connection, upstream)
            back.join()
            upstream.close()

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--credentials")
    args = p.parse_args()
    expected = None
    if args.credentials:
        expected = "Basic " + base64.b64encode(args.credentials.encode()).decode()
    log = open(args.log, "a", buffering=1)
    server = Proxy(("127.0.0.1", 0), make_handler(expected, log, threading.Lock()))
    local_server.serve(server, args.port_file, MAX_SECONDS)
    os._exit(0)


if __name__ == "__main__":
    main()
