"""Runs a dynemu server binary for end-to-end tests (standard library only).

    from dynemu_server import DynemuServer

    with DynemuServer() as server:            # binary from $DYNEMU_BIN
        url = server.endpoint_url              # http://127.0.0.1:<port>
        ...
        server.restart()                       # same data directory (and port)

The server is started with `--port 0` (it picks a free port) and either
`--in-memory` (the default) or a data directory. Its output goes to a log
file; the harness waits for the "dynemu listening on HOST:PORT" line to learn
the port (an info-level log line: do not pass --log-level warn or above).
stop() sends SIGTERM (a graceful shutdown) and waits. Set DYNEMU_KEEP_LOGS=1
to keep the log files.
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

_LISTENING = re.compile(r"dynemu listening on (\[[^\]]+\]|[^\s:]+):(\d+)")


class ServerError(RuntimeError):
    """The server did not start, or did not stop, as expected."""


def default_binary():
    """The server binary named by $DYNEMU_BIN, else the default build's."""
    binary = os.environ.get("DYNEMU_BIN")
    if binary:
        return binary
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(root, "build", "server", "dynemu")


class DynemuServer:
    """One dynemu process.

    binary:      path of the dynemu executable (default: $DYNEMU_BIN).
    data_dir:    None for an in-memory server; "temp" for a fresh temporary
                 directory removed by close(); or a path (kept).
    extra_args:  more flags, e.g. ["--read-timeout-ms", "500"].
    startup_timeout: seconds to wait for the "listening on" line.
    """

    def __init__(self, binary=None, data_dir=None, extra_args=(), startup_timeout=30.0):
        self.binary = binary or default_binary()
        self.extra_args = list(extra_args)
        self.startup_timeout = startup_timeout
        self._owned_dir = None
        if data_dir == "temp":
            self._owned_dir = tempfile.mkdtemp(prefix="dynemu-data-")
            data_dir = self._owned_dir
        self.data_dir = data_dir
        self.host = None
        self.port = None
        self.process = None
        self._log_file = None
        self._log_path = None
        self._log_offset = 0  # where the current run's output starts

    # ---- lifecycle

    def start(self, port=0):
        """Starts the server and waits until it listens. Returns self."""
        if self.process is not None and self.process.poll() is None:
            raise ServerError("already running")
        if not os.access(self.binary, os.X_OK):
            raise ServerError("no dynemu binary at %r (set DYNEMU_BIN)" % self.binary)
        args = [self.binary, "--host", "127.0.0.1", "--port", str(port)]
        if self.data_dir is None:
            args.append("--in-memory")
        else:
            args += ["--data-dir", self.data_dir]
        args += self.extra_args
        if self._log_file is None:
            fd, self._log_path = tempfile.mkstemp(prefix="dynemu-", suffix=".log")
            self._log_file = os.fdopen(fd, "ab")
        self._log_file.flush()
        self._log_offset = os.path.getsize(self._log_path)
        # Output goes to a file, not a pipe: nobody has to drain it, so a chatty
        # server (--log-level debug) never blocks on a full pipe.
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            match = _LISTENING.search(self._read_log(self._log_offset))
            if match:
                self.host = match.group(1).strip("[]")
                self.port = int(match.group(2))
                return self
            if self.process.poll() is not None:
                raise ServerError("dynemu exited with %s before listening:\n%s"
                                  % (self.process.returncode, self.log_tail()))
            if time.monotonic() > deadline:
                self.kill()
                raise ServerError("dynemu did not listen within %.0fs:\n%s"
                                  % (self.startup_timeout, self.log_tail()))
            time.sleep(0.02)

    def stop(self, timeout=20.0):
        """SIGTERM, then waits up to `timeout` seconds (SIGKILL after that).
        Returns the exit status (None when it was not running)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise ServerError("dynemu did not stop within %.0fs of SIGTERM:\n%s"
                                  % (timeout, self.log_tail()))
        return self.process.returncode

    def kill(self):
        """SIGKILL: a crash, as far as the data directory can tell."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self, same_port=True, timeout=20.0):
        """Stops (SIGTERM) and starts again on the same data directory, and by
        default the same port, so clients keep their endpoint. Returns self."""
        port = self.port if same_port and self.port else 0
        self.stop(timeout)
        # The port was just released; another process could take it, but on a
        # test machine a short retry loop is enough.
        for attempt in range(50):
            try:
                return self.start(port)
            except ServerError:
                if port == 0 or attempt == 49 or "in use" not in self.log_tail():
                    raise
                time.sleep(0.1)
        return self

    def close(self):
        """Stops the server if running and removes what the harness created
        (the temporary data directory, the log)."""
        try:
            if self.process is not None and self.process.poll() is None:
                try:
                    self.stop()
                except ServerError:
                    pass
        finally:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None
            if self._log_path and os.environ.get("DYNEMU_KEEP_LOGS") is None:
                try:
                    os.remove(self._log_path)
                except OSError:
                    pass
            if self._owned_dir is not None:
                shutil.rmtree(self._owned_dir, ignore_errors=True)
                self._owned_dir = None

    def __enter__(self):
        if self.process is None or self.process.poll() is not None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # ---- information

    @property
    def endpoint_url(self):
        return "http://%s:%d" % (self.host, self.port)

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def log_text(self):
        """Everything the server printed, across restarts."""
        return self._read_log(0)

    def log_tail(self, lines=40):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def _read_log(self, offset):
        if not self._log_path:
            return ""
        if self._log_file is not None:
            self._log_file.flush()
        with open(self._log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")
