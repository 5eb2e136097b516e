"""The start and stop of the tests' Python servers (scripted_server.py, webhook_receiver.py,
connect_proxy.py), the counterpart of tests/support/local_server.hpp: the port written to
the port file once the server listens (whole: written aside, then renamed into place), then
served until SIGTERM or SIGINT, and for at most `max_seconds`.
"""
import os
import signal
import threading


def serve(server, port_file, max_seconds):
    """Publishes `server`'s port in `port_file` and serves until a signal or the limit."""
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]) + "\n")
    os.rename(tmp, port_file)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    limit = threading.Timer(max_seconds, stop)
    limit.daemon = True
    limit.start()
    server.serve_forever(poll_interval=0.05)
