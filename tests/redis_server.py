"""A throw-away redis-server for the test suite: a temporary folder, a free port on 127.0.0.1, no disk writes.

Like tests/pg_server.py: started on first use, stopped at the end of the run. When the `redis-server`
binary is missing the Redis half of the job tests is skipped, loudly (see tests/conftest.py).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self) -> None:
        self.binary = shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
        )
        self.folder: Path | None = None
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    @property
    def available(self) -> bool:
        return self.binary is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        """Start the server (once); return its URL."""
        if self.process is not None:
            return self.url
        self.folder = Path(tempfile.mkdtemp(prefix="wfm-redis-"))
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
                "--logfile",
                str(self.folder / "log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return self.url
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        log = (self.folder / "log").read_text() if (self.folder / "log").exists() else ""
        self.stop()
        raise RuntimeError(f"redis-server did not start: {log[-2000:]}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
